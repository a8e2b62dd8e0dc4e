namespace Federation.Transparency;

/// <summary>What checking a log against its signed heads found.</summary>
/// <param name="Entries">Rows checked.</param>
/// <param name="Heads">Signed heads checked.</param>
/// <param name="FirstBadEntry">The first entry that is wrong (edited, missing, moved, or where a truncation starts); null when the log is sound or only a head is wrong.</param>
/// <param name="Problem">What is wrong, or null when the log is sound.</param>
public sealed record AuditReport(long Entries, int Heads, long? FirstBadEntry, string? Problem)
{
    /// <summary>True when every row is canonical, in place, and every signed head matches.</summary>
    public bool Sound => Problem is null;
}
