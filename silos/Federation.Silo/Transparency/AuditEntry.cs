using Federation.Transparency;

namespace Federation.Silo.Transparency;

/// <summary>One log entry on the wire: the stored bytes and leaf hash (what auditors hash), and the fields read from them.</summary>
/// <param name="Index">Position in the log.</param>
/// <param name="Entry">The canonical bytes, base64 (hash these, never the fields).</param>
/// <param name="LeafHash">The stored leaf hash, base64.</param>
/// <param name="Kind">The kind, or null when the bytes do not read as an entry.</param>
/// <param name="Time">When, or null when unreadable.</param>
/// <param name="Job">The job, if any.</param>
/// <param name="Dataset">The dataset, if any.</param>
/// <param name="Peer">The peer nation, if any.</param>
/// <param name="Rule">The rule, if any.</param>
/// <param name="Subject">The person as an HMAC digest, if any.</param>
/// <param name="Detail">More facts.</param>
/// <param name="Problem">Why the bytes do not read as a canonical entry, if they do not.</param>
public sealed record AuditEntry(
    long Index,
    string Entry,
    string LeafHash,
    string? Kind,
    DateTimeOffset? Time,
    string? Job,
    string? Dataset,
    string? Peer,
    string? Rule,
    string? Subject,
    IReadOnlyDictionary<string, string> Detail,
    string? Problem)
{
    /// <summary>The wire form of a stored row.</summary>
    public static AuditEntry From(LoggedEntry row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var bytes = Convert.ToBase64String(row.Bytes);
        var leaf = Convert.ToBase64String(row.LeafHash);
        try
        {
            var (_, e) = TransparencyEntryEncoding.Decode(row.Bytes);
            return new(row.Index, bytes, leaf, TransparencyEntryKinds.Name(e.Kind), e.Time, e.Job, e.Dataset, e.Peer, e.Rule, e.Subject, e.Detail, null);
        }
        catch (FormatException error)
        {
            return new(row.Index, bytes, leaf, null, null, null, null, null, null, null, new Dictionary<string, string>(), error.Message);
        }
    }
}
