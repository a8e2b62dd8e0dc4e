namespace Federation.Benchmarks;

/// <summary>
/// The benchmark's no-lost-job check: every job that DE acknowledged as created (warm-up, low-load
/// and timed) has its row in DE's job store (the job grains' storage) and an execution in FR.
/// </summary>
/// <param name="Acknowledged">Jobs DE acknowledged as created.</param>
/// <param name="MissingInDe">Acknowledged jobs with no row in DE's job store.</param>
/// <param name="MissingInFr">Acknowledged jobs that never reached FR (no execution row there).</param>
internal sealed record LostJobs(int Acknowledged, IReadOnlyList<string> MissingInDe, IReadOnlyList<string> MissingInFr)
{
    /// <summary>True when no acknowledged job is missing anywhere.</summary>
    public bool Passed => Acknowledged > 0 && MissingInDe.Count == 0 && MissingInFr.Count == 0;

    /// <summary>Compares the acknowledged ids with what the two stores hold.</summary>
    public static LostJobs Check(IReadOnlyCollection<string> acknowledged, IReadOnlySet<string> inDe, IReadOnlySet<string> inFr) => new(
        acknowledged.Count,
        [.. acknowledged.Where(id => !inDe.Contains(id)).Order(StringComparer.Ordinal)],
        [.. acknowledged.Where(id => !inFr.Contains(id)).Order(StringComparer.Ordinal)]);

    /// <summary>The line the benchmark prints (scripts and the CI smoke read its start: <c>Lost jobs: none</c>).</summary>
    public string Line() => Passed
        ? $"Lost jobs: none: all {Acknowledged:N0} acknowledged jobs are in DE's job store and reached FR"
        : $"Lost jobs: {Math.Max(MissingInDe.Count, MissingInFr.Count):N0} of {Acknowledged:N0} acknowledged jobs: {MissingInDe.Count:N0} missing in DE's job store{Examples(MissingInDe)}, {MissingInFr.Count:N0} never reached FR{Examples(MissingInFr)}";

    private static string Examples(IReadOnlyList<string> ids) => ids.Count == 0 ? "" : $" (e.g. {string.Join(", ", ids.Take(5))})";
}
