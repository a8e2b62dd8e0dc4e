using System.Globalization;
using Federation.Contracts.Ids;
using Federation.Execution;
using Federation.Transparency;

namespace Federation.Silo.Transparency;

/// <summary>
/// The <c>artifact-transfer</c> entries of dataset bytes crossing a border: the home serving its
/// content to a peer (<c>direction</c> <c>out</c>) and a nation fetching a peer's content to stage it
/// (<c>in</c>). Dataset and peer as references; detail <c>direction</c>, <c>bytes</c> (moved),
/// <c>size</c> (the file's, as the catalogue states), <c>sha256</c> (of the whole file), <c>status</c>
/// (<c>complete</c>, <c>partial</c> for a byte range, <c>aborted</c>, <c>checksum-mismatch</c> or
/// <c>failed</c>) and <c>request</c> (the Federation-Request-Id, the same on both sides). The fetching
/// side names the job whose directory the copy went into. Appended without delaying the transfer's answer.
/// <para>
/// A job's logs and outputs fetched by its origin from the nation that ran it are artifact transfers
/// too (<see cref="RecordAsync(FileTransfer)"/>): the executing nation serving them (<c>out</c>) and the
/// origin relaying them to its user (<c>in</c>), with the job as reference and detail <c>artifact</c>
/// (<c>log</c> or <c>output</c>), <c>name</c> (the log stream, <c>stdout</c> or <c>stderr</c>) or
/// <c>nameDigest</c> (an output's path, user-chosen text, as the log's keyed digest), <c>epoch</c>, <c>from</c> and <c>to</c> (the nations), <c>bytes</c>, <c>sha256</c> (of the
/// bytes that moved, computed while they streamed), <c>status</c> (<c>complete</c>, <c>partial</c> for a
/// log's tail, <c>aborted</c>, <c>checksum-mismatch</c> when the bytes received differ from the digest
/// the executing nation announced) and <c>request</c> (the same on both sides).
/// </para>
/// </summary>
public sealed class TransferRecorder(TransparencyRecorder recorder, Federation.Grains.Nations.LocalNation local)
{
    /// <summary>Which file of a job's run moved: a log stream or an output.</summary>
    /// <param name="Job">The job.</param>
    /// <param name="Epoch">The epoch whose run wrote it.</param>
    /// <param name="Artifact"><c>log</c> or <c>output</c>.</param>
    /// <param name="Name">The log stream (<c>stdout</c>, <c>stderr</c>) or the output's path.</param>
    public sealed record JobFile(JobRef Job, int Epoch, string Artifact, string Name);

    /// <summary>The facts of a job file's transfer.</summary>
    /// <param name="File">Which file.</param>
    /// <param name="Peer">The other nation.</param>
    /// <param name="Outbound">True at the executing nation serving it, false at the origin receiving it.</param>
    /// <param name="Bytes">Bytes that moved.</param>
    /// <param name="Sha256">SHA-256 of the bytes that moved (lower-case hex).</param>
    /// <param name="Status">How it ended (see the class).</param>
    /// <param name="Request">The Federation-Request-Id of the fetch.</param>
    public sealed record FileTransfer(JobFile File, string Peer, bool Outbound, long Bytes, string? Sha256, string Status, Guid Request);

    /// <summary>The transfer's facts.</summary>
    /// <param name="Dataset">The dataset whose bytes moved.</param>
    /// <param name="Peer">The other nation.</param>
    /// <param name="Outbound">True at the home serving the bytes, false at the nation fetching them.</param>
    /// <param name="Bytes">Bytes that moved.</param>
    /// <param name="Size">The whole file's size.</param>
    /// <param name="Sha256">The whole file's SHA-256 (lower-case hex), when known.</param>
    /// <param name="Status">How it ended (see the class).</param>
    /// <param name="Request">The Federation-Request-Id of the transfer.</param>
    /// <param name="Job">The job the copy was for, when known.</param>
    public sealed record Transfer(DatasetRef Dataset, string Peer, bool Outbound, long Bytes, long Size, string? Sha256, string Status, Guid Request, JobRef? Job = null);

    /// <summary>Appends the entry of <paramref name="transfer"/>; a silo that stops meanwhile loses it (logged by the recorder otherwise).</summary>
    /// <returns>The row, or null when the append failed.</returns>
    public async Task<LoggedEntry?> RecordAsync(Transfer transfer)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        var detail = new List<KeyValuePair<string, string>>
        {
            new("direction", transfer.Outbound ? "out" : "in"),
            new("bytes", transfer.Bytes.ToString(CultureInfo.InvariantCulture)),
            new("size", transfer.Size.ToString(CultureInfo.InvariantCulture)),
            new("status", transfer.Status),
            new("request", transfer.Request.ToString("D")),
        };
        if (transfer.Sha256 is { } sha)
        {
            detail.Add(new("sha256", sha));
        }

        try
        {
            return await recorder.RecordAsync(TransparencyEntryKind.ArtifactTransfer, job: transfer.Job?.ToString(), dataset: transfer.Dataset.ToString(), peer: transfer.Peer, detail: detail);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The silo is stopping: this record is lost with it, the other side's is not.
            return null;
        }
    }

    /// <summary>Appends the entry of a job file's <paramref name="transfer"/>; a silo that stops meanwhile loses it.</summary>
    /// <returns>The row, or null when the append failed.</returns>
    public async Task<LoggedEntry?> RecordAsync(FileTransfer transfer)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        var (from, to) = transfer.Outbound ? (local.Code.Value, transfer.Peer) : (transfer.Peer, local.Code.Value);
        var detail = new List<KeyValuePair<string, string>>
        {
            new("direction", transfer.Outbound ? "out" : "in"),
            new("artifact", transfer.File.Artifact),
            NameDetail(transfer.File),
            new("epoch", transfer.File.Epoch.ToString(CultureInfo.InvariantCulture)),
            new("from", from),
            new("to", to),
            new("bytes", transfer.Bytes.ToString(CultureInfo.InvariantCulture)),
            new("status", transfer.Status),
            new("request", transfer.Request.ToString("D")),
        };
        if (transfer.Sha256 is { } sha)
        {
            detail.Add(new("sha256", sha));
        }

        try
        {
            return await recorder.RecordAsync(TransparencyEntryKind.ArtifactTransfer, job: transfer.File.Job.ToString(), peer: transfer.Peer, detail: detail);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The silo is stopping: this record is lost with it, the other side's is not.
            return null;
        }
    }

    /// <summary>
    /// A log's stream name (<c>stdout</c>, <c>stderr</c>) is the platform's word and stays readable; an
    /// output's path is chosen by the job's user (free text that may name a person or a patient), so it
    /// goes into the entry only as the log's keyed digest (<c>nameDigest</c>), never raw.
    /// </summary>
    private KeyValuePair<string, string> NameDetail(JobFile file) =>
        file.Artifact == "log" && file.Name is "stdout" or "stderr"
            ? new("name", file.Name)
            : new("nameDigest", recorder.Digest(file.Name));

    /// <summary>The job whose directory <paramref name="directory"/> is (<see cref="JobDirectory.For"/>: <c>root/origin/id/eN</c>); null when the path is not one.</summary>
    public static JobRef? JobOf(JobDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var epoch = Path.GetFileName(directory.Path.TrimEnd(Path.DirectorySeparatorChar));
        var idPath = Path.GetDirectoryName(directory.Path.TrimEnd(Path.DirectorySeparatorChar));
        var id = Path.GetFileName(idPath);
        var origin = Path.GetFileName(Path.GetDirectoryName(idPath));
        return epoch is ['e', ..] && !string.IsNullOrEmpty(id) && !string.IsNullOrEmpty(origin)
            && JobRef.TryParse($"{origin}/{id}", out var job, out _)
            ? job
            : null;
    }
}
