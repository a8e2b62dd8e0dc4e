using System.Globalization;
using Federation.Contracts.Ids;
using Federation.Silo.Transparency;
using Federation.Transparency;

namespace Federation.Silo.Artifacts;

/// <summary>
/// The <c>artifact-transfer</c> entries of model artifacts crossing a border: the home serving the
/// bytes to a peer (<c>direction</c> <c>out</c>) and the nation pulling them (<c>in</c>). Detail:
/// <c>model</c>, <c>direction</c>, <c>bytes</c>, <c>size</c>, <c>sha256</c>, <c>status</c>
/// (<c>complete</c>, <c>aborted</c>, <c>checksum-mismatch</c>, <c>failed</c>) and <c>request</c> (the
/// Federation-Request-Id, the same on both sides); the person who asked for a pull is the subject.
/// </summary>
public sealed class ArtifactTransfers(TransparencyRecorder recorder)
{
    /// <summary>Appends the entry; a failed append is logged by the recorder and answered with null.</summary>
    public async Task<LoggedEntry?> RecordAsync(ModelRef model, JobRef? job, NationCode peer, bool outbound, long bytes, long size, Sha256Digest sha256, string status, Guid request, string? subject)
    {
        try
        {
            return await recorder.RecordAsync(
                TransparencyEntryKind.ArtifactTransfer,
                job: job?.ToString(),
                peer: peer.Value,
                subject: subject,
                detail:
                [
                    new("model", model.ToString()),
                    new("direction", outbound ? "out" : "in"),
                    new("bytes", bytes.ToString(CultureInfo.InvariantCulture)),
                    new("size", size.ToString(CultureInfo.InvariantCulture)),
                    new("sha256", sha256.Value),
                    new("status", status),
                    new("request", request.ToString("D")),
                ]);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The silo is stopping: this record is lost with it, the other side's is not.
            return null;
        }
    }

    /// <summary>
    /// Appends the entry of a pull that ended before any byte moved: <c>status</c> says why
    /// (<c>refused</c> by the home, <c>unreachable</c>, <c>record-refused</c> when the home's record
    /// broke this nation's rules); no <c>sha256</c> or <c>size</c> when the record was never read.
    /// </summary>
    public async Task<LoggedEntry?> RecordFailedPullAsync(ModelRef model, NationCode peer, string status, Guid request, string? subject)
    {
        try
        {
            return await recorder.RecordAsync(
                TransparencyEntryKind.ArtifactTransfer,
                peer: peer.Value,
                subject: subject,
                detail:
                [
                    new("model", model.ToString()),
                    new("direction", "in"),
                    new("bytes", "0"),
                    new("status", status),
                    new("request", request.ToString("D")),
                ]);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return null;
        }
    }
}
