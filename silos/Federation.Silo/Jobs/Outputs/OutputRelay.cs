using System.Text.Json.Nodes;
using Federation.Protocol.Wire;
using Federation.Contracts.Ids;
using Federation.Silo.Api;
using Federation.Silo.Jobs.Staging;
using Federation.Silo.Peering;
using Federation.Silo.Transparency;

namespace Federation.Silo.Jobs.Outputs;

/// <summary>
/// Fetches a job's logs or outputs from the nation that runs it (the federation API, as the job's
/// origin) and relays the answer: the bytes as they come, or the executing nation's refusal as a
/// problem with its detail (a 403 stays a 403: what it holds stays there). A log or output file that
/// came is an <c>artifact-transfer</c> entry (direction in) once relayed, with the bytes' SHA-256
/// computed as they passed (<see cref="TransferRecorder"/>); the user's answer does not wait for it.
/// </summary>
public sealed partial class OutputRelay(RosterStore roster, PeerHttpClientFactory clients, TransferRecorder transfers, ILogger<OutputRelay> logger)
{
    /// <summary>How long the executing nation has to start answering.</summary>
    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The federation path of a job's files in the executing nation: <c>federation/v1/jobs/DE/job-7/1/outputs</c>.</summary>
    public static string FederationPath(JobRef job, int epoch, string resource) =>
        $"federation/v1/jobs/{job.Origin}/{Uri.EscapeDataString(job.Id)}/{epoch}/{resource}";

    /// <summary>GETs <paramref name="path"/> from <paramref name="nation"/> and relays the answer.</summary>
    /// <param name="nation">The executing nation.</param>
    /// <param name="path">The federation path.</param>
    /// <param name="cancellationToken">Ends the wait for the answer's headers.</param>
    /// <param name="file">The job file the path names, logged as a transfer once relayed; null for a listing (not logged).</param>
    /// <param name="whole">The status of a transfer that came whole: <c>complete</c>, or <c>partial</c> for a log's tail.</param>
    public async Task<IResult> RelayAsync(NationCode nation, string path, CancellationToken cancellationToken, TransferRecorder.JobFile? file = null, string whole = "complete")
    {
        var peer = roster.Find(nation.Value);
        if (peer is null)
        {
            return Problems.Status(StatusCodes.Status502BadGateway, "Executing nation unknown",
                $"{nation}, which ran the job, is not on the federation roster any more: its logs and outputs cannot be asked for");
        }

        HttpClient? client = clients.CreateClient(peer);
        client.Timeout = Timeout.InfiniteTimeSpan;
        HttpResponseMessage? response = null;
        try
        {
            using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            headers.CancelAfter(HeadersTimeout);
            var id = Guid.NewGuid();
            using var request = new HttpRequestMessage(HttpMethod.Get, path).WithRequestId(id);
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
            if (response.IsSuccessStatusCode)
            {
                LogRelayed(logger, path, nation, (int)response.StatusCode);
                Action<long, string, string?>? received = file is null ? null : (bytes, sha256, status) =>
                    _ = transfers.RecordAsync(new TransferRecorder.FileTransfer(file, nation.Value, Outbound: false, bytes, sha256, status ?? whole, id));
                var relayed = new RelayedResult(client, response, received);
                (client, response) = (null, null);
                return relayed;
            }

            var problem = await ProblemAsync(nation, response, cancellationToken);
            LogRefused(logger, path, nation, (int)response.StatusCode);
            return problem;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException
            && !cancellationToken.IsCancellationRequested)
        {
            var reason = e.GetBaseException().Message;
            LogUnreachable(logger, path, nation, reason);
            return Problems.Status(StatusCodes.Status503ServiceUnavailable, "Executing nation not reachable",
                $"{nation}, which ran the job, cannot be asked now ({reason}); try again later",
                new Dictionary<string, object?> { ["nation"] = nation.Value });
        }
        finally
        {
            response?.Dispose();
            client?.Dispose();
        }
    }

    private static async Task<IResult> ProblemAsync(NationCode nation, HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonObject? body = null;
        try
        {
            body = JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a problem document: the status and the start of the text tell.
        }

        var extensions = new Dictionary<string, object?> { ["nation"] = nation.Value };
        foreach (var key in new[] { "dataset", "withheldIn", "residency", "errors" })
        {
            if (body?[key] is { } value)
            {
                extensions[key] = value.DeepClone();
            }
        }

        var detail = Text(body?["detail"]) ?? (text.Length == 0 ? $"HTTP {status}" : text[..Math.Min(300, text.Length)]);
        var title = Text(body?["title"]) ?? $"{nation} refused";
        return status is >= 400 and < 500 or StatusCodes.Status503ServiceUnavailable
            ? Problems.Status(status, title, detail, extensions)
            : Problems.Status(StatusCodes.Status502BadGateway, "Executing nation failed", $"{nation} answered HTTP {status}: {detail}", extensions);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    [LoggerMessage(EventId = 5631, Level = LogLevel.Information, Message = "Relaying {Path} from {Nation}: HTTP {Status}")]
    private static partial void LogRelayed(ILogger logger, string path, NationCode nation, int status);

    [LoggerMessage(EventId = 5632, Level = LogLevel.Information, Message = "{Nation} refused {Path}: HTTP {Status}")]
    private static partial void LogRefused(ILogger logger, string path, NationCode nation, int status);

    [LoggerMessage(EventId = 5633, Level = LogLevel.Warning, Message = "Cannot fetch {Path} from {Nation}: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string path, NationCode nation, string reason);

    /// <summary>
    /// The executing nation's answer, streamed to the caller; owns the client and the response. When
    /// <c>received</c> is given it is told the bytes relayed, their SHA-256 and how it ended (null: whole;
    /// <c>aborted</c>; <c>checksum-mismatch</c> against the announced digest).
    /// </summary>
    private sealed class RelayedResult(HttpClient client, HttpResponseMessage response, Action<long, string, string?>? received) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            using (client)
            using (response)
            {
                var target = httpContext.Response;
                target.StatusCode = (int)response.StatusCode;
                target.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
                if (response.Content.Headers.ContentLength is { } length)
                {
                    target.ContentLength = length;
                }

                if (response.Headers.TryGetValues(DatasetContentEndpoints.Sha256Header, out var digest))
                {
                    target.Headers[DatasetContentEndpoints.Sha256Header] = digest.FirstOrDefault();
                }

                await using var body = await response.Content.ReadAsStreamAsync(httpContext.RequestAborted);
                if (received is null)
                {
                    await body.CopyToAsync(target.Body, httpContext.RequestAborted);
                    return;
                }

                await CopyHashedAsync(body, target.Body, digest?.FirstOrDefault(), response.Content.Headers.ContentLength, httpContext.RequestAborted);
            }
        }

        private async Task CopyHashedAsync(Stream body, Stream target, string? announced, long? length, CancellationToken ct)
        {
            using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            long bytes = 0;
            var ended = false;
            try
            {
                int read;
                while ((read = await body.ReadAsync(buffer, ct)) > 0)
                {
                    await target.WriteAsync(buffer.AsMemory(0, read), ct);
                    hash.AppendData(buffer, 0, read);
                    bytes += read;
                }

                ended = length is not { } expected || expected == bytes;
            }
            finally
            {
                var sha256 = Convert.ToHexStringLower(hash.GetCurrentHash());
                var status = !ended ? "aborted"
                    : announced is { Length: > 0 } && !string.Equals(announced, sha256, StringComparison.OrdinalIgnoreCase) ? "checksum-mismatch"
                    : null;
                received!(bytes, sha256, status);
            }
        }
    }
}
