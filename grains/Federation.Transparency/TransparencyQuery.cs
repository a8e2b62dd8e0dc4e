namespace Federation.Transparency;

/// <summary>Which entries to list: every given filter must match; at most <see cref="Limit"/> entries from <see cref="From"/> on, in log order.</summary>
/// <param name="Job">Only entries about this job.</param>
/// <param name="Dataset">Only entries about this dataset.</param>
/// <param name="Peer">Only entries involving this peer nation.</param>
/// <param name="Kind">Only entries of this kind.</param>
/// <param name="Since">Only entries at or after this time.</param>
/// <param name="Until">Only entries before this time.</param>
/// <param name="From">The first index to consider.</param>
/// <param name="Limit">Most entries returned (1 to <see cref="MaxLimit"/>).</param>
public sealed record TransparencyQuery(
    string? Job = null,
    string? Dataset = null,
    string? Peer = null,
    TransparencyEntryKind? Kind = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    long From = 0,
    int Limit = 100)
{
    /// <summary>Most entries one query returns.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Longest job, dataset or peer filter.</summary>
    public const int MaxFilterLength = 200;

    /// <summary>Null when the query is well formed; otherwise the rule it breaks, naming the field.</summary>
    public string? Problem() =>
        From < 0 ? $"from: {From} is negative"
        : Limit is < 1 or > MaxLimit ? $"limit: {Limit} is not between 1 and {MaxLimit}"
        : Since > Until ? "since: after until"
        : FilterProblem("job", Job) ?? FilterProblem("dataset", Dataset) ?? FilterProblem("peer", Peer);

    // A NUL cannot reach PostgreSQL's text (the query fails), and no stored entry holds a control character.
    private static string? FilterProblem(string field, string? value) =>
        value is null ? null
        : value.Length is 0 or > MaxFilterLength ? $"{field}: 1 to {MaxFilterLength} characters, not {value.Length}"
        : value.Any(char.IsControl) ? $"{field}: control characters are not allowed"
        : null;

    /// <summary>True when <paramref name="entry"/> at <paramref name="index"/> matches every filter.</summary>
    public bool Matches(long index, TransparencyEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return index >= From
            && (Job is null || string.Equals(Job, entry.Job, StringComparison.Ordinal))
            && (Dataset is null || string.Equals(Dataset, entry.Dataset, StringComparison.Ordinal))
            && (Peer is null || string.Equals(Peer, entry.Peer, StringComparison.Ordinal))
            && (Kind is null || Kind == entry.Kind)
            && (Since is null || entry.Time >= Since)
            && (Until is null || entry.Time < Until);
    }
}
