using System.Net;
using System.Text.Json.Nodes;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Json;
using Federation.Grains.Nations;
using Federation.Protocol.Wire;
using Federation.Silo.Api;
using Federation.Silo.Peering;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Artifacts;

/// <summary>
/// Makes this nation pull a model version's artifact from a peer over the federation API (mutual
/// TLS): reads the version's catalogue record from the peer, downloads the bytes into the artifact
/// store while hashing (refused and removed when they do not match the record's sha256 and size),
/// then registers the version in this nation's catalogue and records the artifact. The home decides
/// whether its licence and restrictions let the bytes come here; its refusal is passed on with its rule.
/// Every pull is an <c>artifact-transfer</c> entry here, also one that failed or was refused before
/// any byte moved. The peer's record is read again with the strict reader of a local registration
/// (<see cref="PeerModelRecords"/>) and registered with the peer as its home. The download fails
/// only when no byte arrives for <see cref="ArtifactOptions.PullIdleTimeout"/>, not after a total time;
/// the endpoint runs it on the silo's lifetime, so a client that goes away does not abort it.
/// </summary>
public sealed partial class ArtifactPuller(
    RosterStore roster,
    PeerHttpClientFactory clients,
    ContentStore store,
    IArtifactMetadataStore metadata,
    IOptions<ArtifactOptions> options,
    IGrainFactory grains,
    LocalNation local,
    TimeProvider time,
    ArtifactTransfers transfers,
    Federation.Silo.Api.Requests.CatalogueRequestParser parser,
    ILogger<ArtifactPuller> logger)
{
    /// <summary>How long the peer has to start answering.</summary>
    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Pulls the artifact of <paramref name="model"/> from <paramref name="from"/> for <paramref name="subject"/>.</summary>
    public async Task<ArtifactAnswer> PullAsync(ModelRef model, NationCode from, string subject, CancellationToken ct)
    {
        if (from == local.Code)
        {
            return ArtifactAnswer.Refused(Problems.Invalid("from", $"{from} is this nation: pull from another nation of the roster"));
        }

        if (roster.Find(from.Value) is not { } peer)
        {
            return ArtifactAnswer.Refused(Problems.Invalid("from", $"{from} is not on the federation roster of {local.Code}"));
        }

        using var client = clients.CreateClient(peer);
        client.Timeout = Timeout.InfiniteTimeSpan;
        var requestId = Guid.NewGuid();
        ModelArtifactRecord? remote;
        using (var headers = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            headers.CancelAfter(HeadersTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, ArtifactRoutes.Model(model)).WithRequestId(Guid.NewGuid());
            using var response = await SendAsync(client, request, HttpCompletionOption.ResponseContentRead, model, from, headers.Token);
            if (response is null || !response.IsSuccessStatusCode)
            {
                _ = transfers.RecordFailedPullAsync(model, from, response is null ? "unreachable" : "refused", requestId, subject);
                return ArtifactAnswer.Refused(await PeerProblemAsync(response, from, model, ct));
            }

            try
            {
                remote = await response.Content.ReadFromJsonAsync<ModelArtifactRecord>(FederationJson.Options, ct);
            }
            catch (System.Text.Json.JsonException e)
            {
                _ = transfers.RecordFailedPullAsync(model, from, "record-refused", requestId, subject);
                return ArtifactAnswer.Refused(Problems.Status(StatusCodes.Status502BadGateway, "Peer's model record refused", $"{from}'s record of {model} is not readable JSON ({e.Message}): nothing pulled"));
            }
        }

        if (remote?.Spec is null || remote.Spec.Ref != model)
        {
            _ = transfers.RecordFailedPullAsync(model, from, "record-refused", requestId, subject);
            return ArtifactAnswer.Refused(Problems.Status(StatusCodes.Status502BadGateway, "Peer answered another model", $"{from} did not answer with the record of {model}"));
        }

        var errors = new ValidationErrors();
        if (PeerModelRecords.Reread(remote.Spec, parser, errors) is not { } spec)
        {
            _ = transfers.RecordFailedPullAsync(model, from, "record-refused", requestId, subject);
            return ArtifactAnswer.Refused(PeerModelRecords.Refused(from, model, errors));
        }

        var max = options.Value.MaxBytes;
        if (spec.SizeBytes > max)
        {
            _ = transfers.RecordFailedPullAsync(model, from, "too-large", requestId, subject);
            return ArtifactAnswer.Refused(ArtifactUploads.TooLarge(model, spec.SizeBytes, max));
        }

        var existing = await grains.GetGrain<IModelArtifactGrain>(model.GrainKey).GetAsync();
        if (existing is not null && existing.Spec.Sha256 != spec.Sha256)
        {
            return ArtifactAnswer.Refused(Problems.Status(StatusCodes.Status409Conflict, "Another model of that name and version",
                $"{local.Code} registers {model} with sha256 {existing.Spec.Sha256}; {from}'s has {spec.Sha256}: nothing pulled"));
        }

        ContentWrite written;
        using (var headers = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            headers.CancelAfter(HeadersTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, ArtifactRoutes.Artifact(model)).WithRequestId(requestId);
            using var response = await SendAsync(client, request, HttpCompletionOption.ResponseHeadersRead, model, from, headers.Token);
            headers.CancelAfter(Timeout.InfiniteTimeSpan);
            if (response is null || !response.IsSuccessStatusCode)
            {
                _ = transfers.RecordFailedPullAsync(model, from, response is null ? "unreachable" : "refused", requestId, subject);
                return ArtifactAnswer.Refused(await PeerProblemAsync(response, from, model, ct));
            }

            try
            {
                await using var body = new IdleTimeoutStream(await response.Content.ReadAsStreamAsync(ct), options.Value.PullIdleTimeout, time);
                written = await store.WriteAsync(body, spec.Sha256, spec.SizeBytes, max, ct);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                LogPullFailed(logger, model, from, e.Message);
                _ = transfers.RecordAsync(model, spec.Lineage.ProducingJob, from, outbound: false, 0, spec.SizeBytes, spec.Sha256, "failed", requestId, subject);
                return ArtifactAnswer.Refused(Problems.Status(StatusCodes.Status502BadGateway, "Transfer failed", $"the download of {model} from {from} failed ({e.GetBaseException().Message}): nothing stored"));
            }
        }

        var status = written.Succeeded ? "complete" : written.Outcome == ContentWriteOutcome.DigestMismatch ? "checksum-mismatch" : "failed";
        _ = transfers.RecordAsync(model, spec.Lineage.ProducingJob, from, outbound: false, written.Received, spec.SizeBytes, spec.Sha256, status, requestId, subject);
        if (!written.Succeeded)
        {
            LogPullFailed(logger, model, from, $"{written.Outcome}: {written.Received} bytes, sha256 {written.Actual}");
            return ArtifactAnswer.Refused(Problems.Status(StatusCodes.Status502BadGateway, "Checksum mismatch",
                written.Outcome == ContentWriteOutcome.DigestMismatch
                    ? $"the bytes {from} sent for {model} hash to sha256 {written.Actual}, not the {spec.Sha256} its catalogue states: nothing stored"
                    : $"{from} sent {(written.Received > spec.SizeBytes ? "more" : written.Received.ToString(System.Globalization.CultureInfo.InvariantCulture))} bytes for {model}, its catalogue states {spec.SizeBytes}: nothing stored",
                new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["sha256"] = [$"the bytes received do not match {spec.Sha256}"] } }));
        }

        if (existing is null)
        {
            var registered = await grains.GetGrain<IModelArtifactGrain>(model.GrainKey).RegisterFromPeerAsync(spec, from);
            if (!registered.Succeeded)
            {
                return ArtifactAnswer.Refused(Problems.Status(StatusCodes.Status409Conflict, "Not registered here",
                    $"the bytes of {model} arrived from {from} and were verified, but {local.Code} cannot register the model: {registered.Reason}"));
            }
        }

        var stored = await metadata.AddAsync(new ArtifactRecord(model, spec.Sha256, written.Received, "application/octet-stream", $"peer:{from}", time.GetUtcNow(), from), ct);
        LogPulled(logger, model, from, written.Received, spec.Sha256);
        return new ArtifactAnswer(stored, null, Created: true);
    }

    private async Task<HttpResponseMessage?> SendAsync(HttpClient client, HttpRequestMessage request, HttpCompletionOption completion, ModelRef model, NationCode from, CancellationToken ct)
    {
        try
        {
            return await client.SendAsync(request, completion, ct);
        }
        catch (Exception e) when (e is HttpRequestException or System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException)
        {
            LogPullFailed(logger, model, from, e.GetBaseException().Message);
            return null;
        }
    }

    private static async Task<IResult> PeerProblemAsync(HttpResponseMessage? response, NationCode from, ModelRef model, CancellationToken ct)
    {
        if (response is null)
        {
            return Problems.Status(StatusCodes.Status502BadGateway, "Peer unreachable", $"{from} did not answer for {model}; try again when it is reachable");
        }

        var text = await response.Content.ReadAsStringAsync(ct);
        string? detail = null, rule = null;
        try
        {
            var json = JsonNode.Parse(text);
            detail = json?["detail"]?.GetValue<string>();
            rule = json?["rule"]?.GetValue<string>();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            // Not a problem document: the status says enough.
        }

        var status = response.StatusCode switch
        {
            HttpStatusCode.Forbidden => StatusCodes.Status403Forbidden,
            HttpStatusCode.NotFound => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status502BadGateway,
        };
        var extensions = new Dictionary<string, object?> { ["from"] = from.Value };
        if (rule is not null)
        {
            extensions["rule"] = rule;
        }

        return Problems.Status(status, status == StatusCodes.Status403Forbidden ? "Refused by the artifact's home" : status == StatusCodes.Status404NotFound ? "Not found at the peer" : "Peer error",
            $"{from} answered HTTP {(int)response.StatusCode} for {model}: {detail ?? "no detail"}", extensions);
    }

    [LoggerMessage(EventId = 7111, Level = LogLevel.Information, Message = "Artifact of {Model} pulled from {From}: {Bytes} bytes, sha256 {Sha256} verified")]
    private static partial void LogPulled(ILogger logger, ModelRef model, NationCode from, long bytes, Sha256Digest sha256);

    [LoggerMessage(EventId = 7112, Level = LogLevel.Warning, Message = "Pulling the artifact of {Model} from {From} failed, nothing stored: {Reason}")]
    private static partial void LogPullFailed(ILogger logger, ModelRef model, NationCode from, string reason);
}
