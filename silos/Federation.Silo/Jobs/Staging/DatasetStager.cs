using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Federation.Protocol.Messages;
using Federation.Protocol.Wire;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution;
using Federation.Execution.Staging;
using Federation.Grains.Nations;
using Federation.Silo.Peering;

namespace Federation.Silo.Jobs.Staging;

/// <summary>
/// Puts a job's inputs into its directory. This nation's own datasets: a symbolic link to the file
/// of their <c>file:</c> location (a copy where links cannot be made), after checking its size and
/// its SHA-256 against the catalogue (read once per unchanged file, <see cref="FileDigestCache"/>).
/// Another nation's: only when its home's terms (read from the home, now) let it be processed here;
/// downloaded from the home's content endpoint to a temporary file while hashing, checked against
/// the size and SHA-256 its home's catalogue states, then renamed into place with a marker of the
/// verified digest. A copy already in place and verified is not downloaded again (a restarted silo
/// stages again). A partial or mismatching copy is removed. Every copy is logged with its bytes, and
/// every download the home answered is an <c>artifact-transfer</c> entry of the transparency log.
/// </summary>
public sealed partial class DatasetStager(
    DatasetTermsReader terms,
    RosterStore roster,
    PeerHttpClientFactory clients,
    FileDigestCache digests,
    DataRoots dataRoots,
    LocalNation local,
    Federation.Silo.Transparency.TransferRecorder transfers,
    ILogger<DatasetStager> logger) : IDatasetStager
{
    /// <summary>How long the home has to start answering a download.</summary>
    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The path of a dataset's content on its home's federation API.</summary>
    public static string ContentPath(DatasetRef dataset) => FederationRoutes.DatasetContent(dataset.Dataset.ToString());

    /// <summary>The marker written next to a verified copy: it holds the SHA-256 the copy was checked against.</summary>
    public static string MarkerPath(JobDirectory directory, DatasetRef dataset) =>
        Path.Combine(directory.Inputs, $".{dataset.Nation.Value}-{dataset.Dataset.Value}.sha256");

    /// <inheritdoc />
    public async Task<StagingResult> StageAsync(JobSpec spec, JobDirectory directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory.Inputs);
        var staged = ImmutableArray.CreateBuilder<StagedInput>();
        var notes = new List<string>();
        foreach (var input in spec.Inputs.Distinct())
        {
            var (one, note, failure) = input.Nation == local.Code
                ? await LinkOwnAsync(input, directory, cancellationToken)
                : await CopyForeignAsync(input, directory, cancellationToken);
            if (failure is not null)
            {
                LogStagingFailed(logger, directory.Path, failure);
                return StagingResult.Failed(failure);
            }

            staged.Add(one!);
            notes.Add(note!);
        }

        var summary = notes.Count == 0 ? "no inputs to stage" : $"staged {notes.Count} input{(notes.Count == 1 ? "" : "s")}: {string.Join("; ", notes)}";
        return new StagingResult(true, summary, staged.ToImmutable());
    }

    private async Task<(StagedInput? Input, string? Note, string? Failure)> LinkOwnAsync(DatasetRef input, JobDirectory directory, CancellationToken ct)
    {
        var (found, why) = await terms.ReadAsync(input, ct);
        if (found is null)
        {
            return (null, null, $"cannot stage {input}: {why}");
        }

        if (found.Location is not { IsAbsoluteUri: true, IsFile: true } location)
        {
            return (null, null, $"cannot stage {input}: it is stored at a {found.Location?.Scheme}: location, and {local.Code}'s executors read local files only (file:)");
        }

        var confined = dataRoots.Check(location);
        if (!confined.Allowed)
        {
            LogOwnFileUnreadable(logger, input, location.LocalPath, confined.Reason);
            return (null, null, $"cannot stage {input}: its location is not inside {local.Code}'s data roots (see the silo log)");
        }

        FileStat file;
        string digest;
        try
        {
            file = FileDigestCache.Stat(confined.RealPath);
            if (file.Length != found.SizeBytes)
            {
                LogOwnFileDiffers(logger, input, location.LocalPath, file.Length, found.SizeBytes);
                return (null, null, $"cannot stage {input}: its file has {file.Length} bytes, the catalogue states {found.SizeBytes}");
            }

            digest = await digests.Sha256Async(file, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogOwnFileUnreadable(logger, input, location.LocalPath, e.Message);
            return (null, null, $"cannot stage {input}: its file cannot be read on {local.Code}'s storage (see the silo log)");
        }

        if (digest != found.Sha256)
        {
            return (null, null, $"checksum of {input} did not match: expected {found.Sha256}, got {digest}");
        }

        var target = directory.InputPath(input);
        var how = "linked";
        try
        {
            var existing = new FileInfo(target);
            if (existing.LinkTarget is { } linked && string.Equals(Path.GetFullPath(linked, directory.Inputs), file.Path, StringComparison.Ordinal))
            {
                how = "linked (already)";
            }
            else
            {
                if (existing.Exists || existing.LinkTarget is not null)
                {
                    existing.Delete();
                }

                try
                {
                    File.CreateSymbolicLink(target, file.Path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
                {
                    // No links on this file system: a verified copy.
                    var temporary = target + ".partial-" + Guid.NewGuid().ToString("N");
                    try
                    {
                        File.Copy(file.Path, temporary);
                        File.Move(temporary, target, overwrite: true);
                        how = "copied (links are not possible here)";
                    }
                    finally
                    {
                        File.Delete(temporary);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, null, $"cannot stage {input}: the job directory refused its entry ({e.Message})");
        }

        LogLinked(logger, input, directory.Path, how, file.Length);
        return (new StagedInput(input, target, file.Length, Transferred: false), $"{input} {how}, {file.Length} bytes, sha256 verified", null);
    }

    private async Task<(StagedInput? Input, string? Note, string? Failure)> CopyForeignAsync(DatasetRef input, JobDirectory directory, CancellationToken ct)
    {
        var (found, why) = await terms.ReadAsync(input, ct);
        if (found is null)
        {
            return (null, null, $"cannot stage {input}: {why}");
        }

        if (!found.Residency.Allows(input.Nation, local.Code))
        {
            return (null, null, $"cannot stage {input}: it {ResidencyText.Describe(found.Residency, input.Nation)}, not in {local.Code}");
        }

        if (found.Sha256 is not { Length: 64 } expected)
        {
            return (null, null, $"cannot stage {input}: {input.Nation} does not state its sha256, so a copy could not be verified");
        }

        var target = directory.InputPath(input);
        var marker = MarkerPath(directory, input);
        if (IsVerifiedCopy(target, marker, found.SizeBytes, expected))
        {
            LogAlreadyStaged(logger, input, directory.Path, found.SizeBytes);
            return (new StagedInput(input, target, found.SizeBytes, Transferred: true), $"{input} copied from {input.Nation} before, {found.SizeBytes} bytes, sha256 verified", null);
        }

        foreach (var stale in Directory.EnumerateFiles(directory.Inputs, $".{Path.GetFileName(target)}.partial-*"))
        {
            File.Delete(stale);
        }

        File.Delete(marker);
        var peer = roster.Find(input.Nation.Value);
        if (peer is null)
        {
            return (null, null, $"cannot stage {input}: {input.Nation} is not on the federation roster");
        }

        var temporary = Path.Combine(directory.Inputs, $".{Path.GetFileName(target)}.partial-{Guid.NewGuid():N}");
        var clock = Stopwatch.StartNew();
        long received = 0;
        var requestId = Guid.NewGuid();

        // How the download ended once the home answered with content (null: no bytes were sent), and the verified sha256.
        string? ended = null, verified = null;
        try
        {
            using var client = clients.CreateClient(peer);
            client.Timeout = Timeout.InfiniteTimeSpan;
            using var headers = CancellationTokenSource.CreateLinkedTokenSource(ct);
            headers.CancelAfter(HeadersTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, ContentPath(input)).WithRequestId(requestId);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
            headers.CancelAfter(Timeout.InfiniteTimeSpan);
            if (!response.IsSuccessStatusCode)
            {
                var detail = await ProblemDetailAsync(response, ct);
                return (null, null, response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Conflict
                    ? $"{input.Nation} refused the content of {input}: {detail}"
                    : $"cannot stage {input}: {input.Nation} answered HTTP {(int)response.StatusCode}: {detail}");
            }

            ended = "failed";
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var body = await response.Content.ReadAsStreamAsync(ct))
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await body.ReadAsync(buffer, ct)) > 0)
                {
                    received += read;
                    if (received > found.SizeBytes)
                    {
                        return (null, null, $"cannot stage {input}: {input.Nation} sent more than the {found.SizeBytes} bytes its catalogue states");
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }

                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }

            if (received != found.SizeBytes)
            {
                return (null, null, $"cannot stage {input}: {input.Nation} sent {received} bytes, its catalogue states {found.SizeBytes}");
            }

            var digest = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (digest != expected)
            {
                ended = "checksum-mismatch";
                LogChecksumMismatch(logger, input, input.Nation, expected, digest, received);
                return (null, null, $"checksum of {input} did not match: expected {expected}, got {digest}");
            }

            if (response.Headers.TryGetValues(DatasetContentEndpoints.Sha256Header, out var stated) && stated.FirstOrDefault() is { } header && !string.Equals(header, digest, StringComparison.OrdinalIgnoreCase))
            {
                // The catalogue's digest matched what arrived; the header's did not: the home's cache is stale. Logged, not fatal.
                LogHeaderDiffers(logger, input, header, digest);
            }

            File.Move(temporary, target, overwrite: true);
            (ended, verified) = ("complete", digest);
            var markerTemporary = marker + ".tmp";
            await File.WriteAllTextAsync(markerTemporary, digest, ct);
            File.Move(markerTemporary, marker, overwrite: true);
            var seconds = clock.Elapsed.TotalSeconds;
            LogCopied(logger, input, input.Nation, directory.Path, received, seconds);
            return (new StagedInput(input, target, received, Transferred: true),
                string.Create(CultureInfo.InvariantCulture, $"{input} copied from {input.Nation}, {received} bytes in {seconds:0.###} s, sha256 verified"), null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or UnauthorizedAccessException or System.Security.Authentication.AuthenticationException
            or OperationCanceledException && !ct.IsCancellationRequested)
        {
            LogCopyFailed(logger, input, input.Nation, received, e.Message);
            return (null, null, $"cannot stage {input}: the copy from {input.Nation} failed after {received} bytes ({e.GetBaseException().Message})");
        }
        finally
        {
            File.Delete(temporary);
            if (ended is not null)
            {
                // The bytes that crossed the border, in the log; staging does not wait for the append.
                _ = transfers.RecordAsync(new Federation.Silo.Transparency.TransferRecorder.Transfer(
                    input, input.Nation.Value, Outbound: false, received, found.SizeBytes, verified, ended, requestId, Federation.Silo.Transparency.TransferRecorder.JobOf(directory)));
            }
        }
    }

    private static bool IsVerifiedCopy(string target, string marker, long size, string expected)
    {
        try
        {
            var file = new FileInfo(target);
            return file.Exists && file.LinkTarget is null && file.Length == size
                && File.Exists(marker) && string.Equals(File.ReadAllText(marker).Trim(), expected, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The <c>detail</c> of a problem answer, else the start of the body.</summary>
    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            if (JsonNode.Parse(text)?["detail"]?.GetValue<string>() is { Length: > 0 } detail)
            {
                return detail;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a problem document.
        }
        catch (InvalidOperationException)
        {
            // A detail that is not a string.
        }

        return text.Length == 0 ? $"HTTP {(int)response.StatusCode}" : text[..Math.Min(300, text.Length)];
    }

    [LoggerMessage(EventId = 5611, Level = LogLevel.Information, Message = "Audit: staged {Dataset} from {Home} into {Directory}: {Bytes} bytes in {Seconds:0.000} s, sha256 verified")]
    private static partial void LogCopied(ILogger logger, DatasetRef dataset, NationCode home, string directory, long bytes, double seconds);

    [LoggerMessage(EventId = 5612, Level = LogLevel.Information, Message = "Staged {Dataset} into {Directory}: already there and verified ({Bytes} bytes), not downloaded again")]
    private static partial void LogAlreadyStaged(ILogger logger, DatasetRef dataset, string directory, long bytes);

    [LoggerMessage(EventId = 5613, Level = LogLevel.Information, Message = "Staged {Dataset} into {Directory}: {How}, {Bytes} bytes, sha256 verified")]
    private static partial void LogLinked(ILogger logger, DatasetRef dataset, string directory, string how, long bytes);

    [LoggerMessage(EventId = 5614, Level = LogLevel.Warning, Message = "Audit: the copy of {Dataset} from {Home} did not match its catalogue: expected sha256 {Expected}, got {Actual} over {Bytes} bytes; removed")]
    private static partial void LogChecksumMismatch(ILogger logger, DatasetRef dataset, NationCode home, string expected, string actual, long bytes);

    [LoggerMessage(EventId = 5615, Level = LogLevel.Warning, Message = "Audit: the copy of {Dataset} from {Home} failed after {Bytes} bytes: {Reason}; the partial file was removed")]
    private static partial void LogCopyFailed(ILogger logger, DatasetRef dataset, NationCode home, long bytes, string reason);

    [LoggerMessage(EventId = 5616, Level = LogLevel.Warning, Message = "Staging into {Directory} failed: {Reason}")]
    private static partial void LogStagingFailed(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 5617, Level = LogLevel.Error, Message = "The file of {Dataset} at {Path} has {Length} bytes; the catalogue states {SizeBytes}")]
    private static partial void LogOwnFileDiffers(ILogger logger, DatasetRef dataset, string path, long length, long sizeBytes);

    [LoggerMessage(EventId = 5618, Level = LogLevel.Error, Message = "The file of {Dataset} at {Path} cannot be read: {Reason}")]
    private static partial void LogOwnFileUnreadable(ILogger logger, DatasetRef dataset, string path, string reason);

    [LoggerMessage(EventId = 5619, Level = LogLevel.Warning, Message = "The home of {Dataset} stated sha256 {Header} in its header, but the bytes hash to {Actual} (which the catalogue states)")]
    private static partial void LogHeaderDiffers(ILogger logger, DatasetRef dataset, string header, string actual);
}
