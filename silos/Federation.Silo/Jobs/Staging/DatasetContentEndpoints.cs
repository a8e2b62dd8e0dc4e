using System.Diagnostics;
using System.Globalization;
using Federation.Protocol.Messages;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Grains.Nations;
using Federation.Routing;
using Federation.Silo.Api;
using Federation.Silo.Peering;
using Federation.Silo.Transparency;

namespace Federation.Silo.Jobs.Staging;

/// <summary>
/// <c>GET /federation/v1/catalogue/datasets/{id}/content</c>: the bytes of one of this nation's
/// active public datasets, for a nation where its residency lets it be processed (checked here, at
/// the data's home, on every request), with its SHA-256 and length in the headers and a single byte
/// range on request. Only a file inside the nation's data roots whose size and SHA-256 match the
/// catalogue is served. Every fetch and every refusal is logged with the peer, the dataset and the bytes;
/// every fetch served is an <c>artifact-transfer</c> entry in the transparency log (<see cref="TransferRecorder"/>).
/// </summary>
public static partial class DatasetContentEndpoints
{
    /// <summary>The header with the lower-case hex SHA-256 of the whole file served.</summary>
    public const string Sha256Header = "X-Content-Sha256";

    /// <summary>The catalogue version of the dataset served.</summary>
    public const string VersionHeader = "X-Dataset-Version";

    private const string LogCategory = "Federation.Silo.Jobs.Staging.DatasetContent";

    /// <summary>Maps the endpoint on the <c>/federation/v1</c> group.</summary>
    public static void MapDatasetContentEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet(FederationRoutes.DatasetContentPath, ContentAsync).WithName("FederationGetDatasetContent")
            .WithSummary("The bytes of an active public dataset whose residency allows processing in the calling nation; SHA-256 in X-Content-Sha256 and Repr-Digest; one byte range on request.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status416RangeNotSatisfiable);
    }

    private static async Task ContentAsync(string id, HttpContext http, IGrainFactory grains, LocalNation local, FileDigestCache digests, DataRoots dataRoots, ILoggerFactory loggers, TransparencyRecorder recorder, TransferRecorder transfers)
    {
        var logger = loggers.CreateLogger(LogCategory);
        var peer = http.GetPeer().Code;
        var requestId = http.GetFederationRequestId();
        if (!DatasetId.TryParse(id, out var datasetId, out var error))
        {
            await Problems.Invalid("id", error).ExecuteAsync(http);
            return;
        }

        var dataset = new DatasetRef(local.Code, datasetId);
        var record = await grains.GetGrain<IDatasetGrain>(datasetId.GrainKey).GetAsync();
        if (record is not { Status: CatalogueStatus.Active, Spec.Visibility: Visibility.Public })
        {
            LogRefused(logger, dataset, peer, requestId, "unknown, withdrawn or private");
            await Problems.Status(StatusCodes.Status404NotFound, "No such public dataset",
                $"{local.Code} has no active public dataset '{datasetId}' (unknown, withdrawn, or private to {local.Code})").ExecuteAsync(http);
            return;
        }

        var spec = record.Spec;
        if (spec.Access is { RequiresGrant: true })
        {
            // A grant is checked where the job is admitted, at the data's home: controlled data never leaves it.
            const string rule = Federation.Lifecycle.Executions.AdmissionRules.DataAccessGrant;
            LogRefused(logger, dataset, peer, requestId, "controlled: access needs a data-access grant, checked at home");
            await recorder.RecordAsync(Federation.Transparency.TransparencyEntryKind.Refusal, dataset: dataset.ToString(), peer: peer, rule: rule,
                detail: [new("reason", "the content of a dataset that needs a data-access grant is not sent to other nations")], cancellationToken: http.RequestAborted);
            await Problems.Status(StatusCodes.Status403Forbidden, "Controlled data does not move",
                $"{dataset} needs a data-access grant of {local.Code}'s data access committee: its content is not sent to {peer}; the work runs in {local.Code}, where the grant is checked",
                new Dictionary<string, object?> { ["dataset"] = dataset, ["rule"] = rule }).ExecuteAsync(http);
            return;
        }

        var caller = TypedId.Parse<NationCode>(peer);
        if (!spec.Residency.Allows(spec.HomeNation, caller))
        {
            var rule = ResidencyText.Describe(spec.Residency, spec.HomeNation);
            LogRefused(logger, dataset, peer, requestId, rule);
            await Problems.Status(StatusCodes.Status403Forbidden, "The data may not move there",
                $"{dataset} {rule}: its content is not sent to {peer}; run the work in {ResidencyText.Places(spec.Residency, spec.HomeNation)} instead",
                new Dictionary<string, object?> { ["dataset"] = dataset, ["residency"] = ResidencyText.KindName(spec.Residency.Kind) }).ExecuteAsync(http);
            return;
        }

        if (!spec.Location.IsAbsoluteUri || !spec.Location.IsFile)
        {
            LogRefused(logger, dataset, peer, requestId, $"its location is a {spec.Location.Scheme}: URI, not a local file");
            await Problems.Status(StatusCodes.Status409Conflict, "Not served over the federation",
                $"the bytes of {dataset} are not in a local file of {local.Code} ({spec.Location.Scheme}: location); {local.Code} serves only datasets stored as local files").ExecuteAsync(http);
            return;
        }

        var confined = dataRoots.Check(spec.Location);
        if (!confined.Allowed)
        {
            LogRefused(logger, dataset, peer, requestId, confined.Reason);
            await Problems.Status(StatusCodes.Status403Forbidden, "Not served over the federation",
                $"{local.Code} serves only files inside its data roots; the location of {dataset} is not one (its operators find the reason in the silo log)").ExecuteAsync(http);
            return;
        }

        var path = confined.RealPath;
        FileStat file;
        string digest;
        try
        {
            file = FileDigestCache.Stat(path);
            digest = await digests.Sha256Async(file, http.RequestAborted);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFileMissing(logger, dataset, path, e.Message);
            await Problems.Status(StatusCodes.Status409Conflict, "Content unavailable",
                $"the file of {dataset} cannot be read at its home now; {local.Code}'s operators find the cause in its silo log").ExecuteAsync(http);
            return;
        }

        if (digest != spec.Sha256.Value || file.Length != spec.SizeBytes || !DataRootRule.IsInside(file.Path, confined.RealPath))
        {
            // Only the bytes the catalogue describes leave the nation: anything else may be whatever the path now names.
            LogDiffersFromCatalogue(logger, dataset, file.Length, digest, spec.SizeBytes, spec.Sha256.Value);
            LogRefused(logger, dataset, peer, requestId, "its file no longer matches the catalogue's size and sha256");
            await Problems.Status(StatusCodes.Status409Conflict, "Content differs from the catalogue",
                $"the file of {dataset} does not match its catalogue entry (size {spec.SizeBytes} bytes, sha256 {spec.Sha256.Value}); {local.Code} serves it again once it is registered anew").ExecuteAsync(http);
            return;
        }

        var (start, length, status) = Range(http.Request, file.Length);
        if (status == StatusCodes.Status416RangeNotSatisfiable)
        {
            http.Response.Headers.ContentRange = $"bytes */{file.Length.ToString(CultureInfo.InvariantCulture)}";
            await Problems.Status(status, "Range not satisfiable", $"{dataset} has {file.Length} bytes").ExecuteAsync(http);
            return;
        }

        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = "application/octet-stream";
        response.ContentLength = length;
        response.Headers.AcceptRanges = "bytes";
        response.Headers[Sha256Header] = digest;
        response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(digest))}:";
        response.Headers[VersionHeader] = record.Version.ToString(CultureInfo.InvariantCulture);
        if (status == StatusCodes.Status206PartialContent)
        {
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {start}-{start + length - 1}/{file.Length}");
        }

        var clock = Stopwatch.StartNew();
        long sent = 0;
        try
        {
            await using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            stream.Seek(start, SeekOrigin.Begin);
            var buffer = new byte[1 << 16];
            while (sent < length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - sent)), http.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                await response.Body.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted);
                sent += read;
            }

            LogServed(logger, dataset, peer, requestId, sent, file.Length, start, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            LogAborted(logger, dataset, peer, requestId, sent, length, e.Message);
        }

        // The bytes that left, in the log; the answer does not wait for the append.
        var ended = sent < length ? "aborted" : status == StatusCodes.Status206PartialContent ? "partial" : "complete";
        _ = transfers.RecordAsync(new TransferRecorder.Transfer(dataset, peer, Outbound: true, sent, file.Length, digest, ended, requestId));
    }

    /// <summary>The one byte range asked for (<c>bytes=a-b</c>, <c>bytes=a-</c>, <c>bytes=-n</c>), else the whole file.</summary>
    private static (long Start, long Length, int Status) Range(HttpRequest request, long total)
    {
        var header = request.Headers.Range.ToString();
        if (string.IsNullOrEmpty(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            // No range, another unit, or several ranges: the whole file (a server may ignore Range).
            return (0, total, StatusCodes.Status200OK);
        }

        var spec = header["bytes=".Length..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return (0, total, StatusCodes.Status200OK);
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            return long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) && suffix > 0 && total > 0
                ? (Math.Max(0, total - suffix), Math.Min(suffix, total), StatusCodes.Status206PartialContent)
                : (0, 0, StatusCodes.Status416RangeNotSatisfiable);
        }

        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return (0, total, StatusCodes.Status200OK);
        }

        if (start >= total)
        {
            return (0, 0, StatusCodes.Status416RangeNotSatisfiable);
        }

        var end = total - 1;
        if (last.Length > 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start)
            {
                return (0, total, StatusCodes.Status200OK);
            }

            end = Math.Min(end, total - 1);
        }

        return (start, end - start + 1, StatusCodes.Status206PartialContent);
    }

    [LoggerMessage(EventId = 5601, Level = LogLevel.Information, Message = "Audit: served {Bytes} of {Total} bytes of {Dataset} (from offset {Offset}) to {Peer}, request {RequestId}, in {Seconds:0.000} s")]
    private static partial void LogServed(ILogger logger, DatasetRef dataset, string peer, Guid requestId, long bytes, long total, long offset, double seconds);

    [LoggerMessage(EventId = 5602, Level = LogLevel.Warning, Message = "Audit: refused the content of {Dataset} to {Peer}, request {RequestId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, DatasetRef dataset, string peer, Guid requestId, string reason);

    [LoggerMessage(EventId = 5603, Level = LogLevel.Warning, Message = "Audit: sending {Dataset} to {Peer} (request {RequestId}) stopped after {Bytes} of {Length} bytes: {Reason}")]
    private static partial void LogAborted(ILogger logger, DatasetRef dataset, string peer, Guid requestId, long bytes, long length, string reason);

    [LoggerMessage(EventId = 5604, Level = LogLevel.Error, Message = "The file of {Dataset} at {Path} cannot be read: {Reason}")]
    private static partial void LogFileMissing(ILogger logger, DatasetRef dataset, string path, string reason);

    [LoggerMessage(EventId = 5605, Level = LogLevel.Warning, Message = "The file of {Dataset} no longer matches its catalogue entry: {Length} bytes with sha256 {Digest}, registered {SizeBytes} bytes with sha256 {Registered}; it is not served until it is registered again")]
    private static partial void LogDiffersFromCatalogue(ILogger logger, DatasetRef dataset, long length, string digest, long sizeBytes, string registered);
}
