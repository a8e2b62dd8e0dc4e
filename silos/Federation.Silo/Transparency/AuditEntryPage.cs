namespace Federation.Silo.Transparency;

/// <summary>A page of log entries.</summary>
/// <param name="Items">The entries, in log order.</param>
/// <param name="Next">The <c>from</c> of the next page, or null when this page is the last.</param>
public sealed record AuditEntryPage(IReadOnlyList<AuditEntry> Items, long? Next);
