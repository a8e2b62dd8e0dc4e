using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Federation.Contracts.Ids;
using Federation.Grains.Nations;
using Federation.Learning.Run;
using Federation.Silo.Transparency;
using Federation.Transparency;

namespace Federation.Silo.Learning;

/// <summary>
/// The <c>artifact-transfer</c> entry of a round message that crossed a border, on both sides: the job as
/// reference, the peer, and detail <c>direction</c> (<c>out</c> at the sender, <c>in</c> at the receiver),
/// <c>artifact</c> (<see cref="RoundTransfers"/>' class: <c>aggregated-model</c>, <c>masked-update</c>,
/// <c>metrics</c>, <c>secagg-keys</c>, <c>control</c>), <c>what</c> (its sentence, e.g. <c>masked update round 3</c>),
/// <c>from</c>, <c>to</c>, <c>bytes</c> and <c>sha256</c> of the JSON document, and <c>request</c>.
/// Only accepted messages are recorded at the receiver: a refused one stores nothing.
/// </summary>
public sealed class RoundTransferLog(TransparencyRecorder recorder, LocalNation local)
{
    /// <summary>Appends the entry of <paramref name="message"/> (sent as <paramref name="document"/>) between this nation and <paramref name="peer"/>.</summary>
    /// <returns>The row, or null when the append failed.</returns>
    public async Task<LoggedEntry?> RecordAsync(JobRef job, object message, string document, NationCode peer, bool outbound, Guid request)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(document);
        var (artifact, what) = RoundTransfers.Describe(message);
        var bytes = Encoding.UTF8.GetBytes(document);
        var (from, to) = outbound ? (local.Code, peer) : (peer, local.Code);
        var detail = new List<KeyValuePair<string, string>>
        {
            new("direction", outbound ? "out" : "in"),
            new("artifact", artifact),
            new("what", what),
            new("from", from.Value),
            new("to", to.Value),
            new("bytes", bytes.Length.ToString(CultureInfo.InvariantCulture)),
            new("sha256", Convert.ToHexStringLower(SHA256.HashData(bytes))),
            new("request", request.ToString("D")),
        };
        try
        {
            return await recorder.RecordAsync(TransparencyEntryKind.ArtifactTransfer, job: job.ToString(), peer: peer.Value, detail: detail);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The silo is stopping: this record is lost with it, the other side's is not.
            return null;
        }
    }
}
