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

    /// <summary>Null when the query is well formed; otherwise the rule it breaks, naming the field.</summary>
    public string? Problem() =>
        From < 0 ? $"from: {From} is negative"
        : Limit is < 1 or > MaxLimit ? $"limit: {Limit} is not between 1 and {MaxLimit}"
        : Since > Until ? "since: after until"
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
