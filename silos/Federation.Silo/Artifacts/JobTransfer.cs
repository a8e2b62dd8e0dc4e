using System.Globalization;
using Federation.Silo.Transparency;

namespace Federation.Silo.Artifacts;

/// <summary>One border crossing of a job's bytes, as this nation's transparency log records it.</summary>
/// <param name="Index">The log entry's index (prove it with <c>GET /api/v1/audit/proofs/inclusion</c>).</param>
/// <param name="Time">When it was recorded.</param>
/// <param name="What">What moved: <c>dataset</c>, <c>model</c>, <c>output</c>, <c>log</c>, or the kind a federated round names (such as <c>masked-update</c>).</param>
/// <param name="Name">Which one: the dataset or model reference, the log stream; an output's user-chosen path only as its digest.</param>
/// <param name="From">The nation the bytes left.</param>
/// <param name="To">The nation they reached.</param>
/// <param name="Bytes">How many bytes moved.</param>
/// <param name="Sha256">Their SHA-256, when recorded.</param>
/// <param name="Status">How it ended: <c>complete</c>, <c>partial</c>, <c>aborted</c>, <c>checksum-mismatch</c>, <c>failed</c>, <c>refused</c>, ...</param>
/// <param name="Request">The federation request id, the same in both nations' logs.</param>
public sealed record JobTransfer(
    long Index,
    DateTimeOffset? Time,
    string What,
    string? Name,
    string? From,
    string? To,
    long Bytes,
    string? Sha256,
    string? Status,
    string? Request)
{
    /// <summary>The transfer recorded by <paramref name="entry"/> (an <c>artifact-transfer</c> entry) in nation <paramref name="here"/>.</summary>
    public static JobTransfer Of(AuditEntry entry, string here)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var d = entry.Detail;
        string? Get(string key) => d.TryGetValue(key, out var value) ? value : null;
        var outbound = Get("direction") == "out";
        var what = Get("artifact") ?? (Get("model") is not null ? "model" : entry.Dataset is not null ? "dataset" : "artifact");
        var name = Get("model") ?? entry.Dataset ?? Get("name") ?? (Get("nameDigest") is { } digest ? $"digest {digest}" : null);
        return new JobTransfer(
            entry.Index,
            entry.Time,
            what,
            name,
            Get("from") ?? (outbound ? here : entry.Peer),
            Get("to") ?? (outbound ? entry.Peer : here),
            long.TryParse(Get("bytes"), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : 0,
            Get("sha256"),
            Get("status"),
            Get("request"));
    }
}
