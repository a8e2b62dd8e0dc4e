using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Grains.Nations;
using Federation.Silo.Api;
using Federation.Silo.Peering;
using Federation.Silo.Transparency;
using Federation.Transparency;

namespace Federation.Silo.Artifacts;

/// <summary>
/// The federation API's models: <c>GET /federation/v1/models/{name}/versions/{version}</c> (the
/// catalogue record of an active model version) and <c>…/artifact</c> (its bytes, only to a peer
/// its licence and restrictions allow; 403 with the rule otherwise, logged as a refusal). Every
/// artifact served is an <c>artifact-transfer</c> entry of the transparency log.
/// </summary>
public static partial class ArtifactFederationEndpoints
{
    /// <summary>The rule name of a refusal by the model's restrictions.</summary>
    public const string RestrictionsRule = "model-restrictions";

    /// <summary>The rule name of a refusal by the model's licence.</summary>
    public const string LicenceRule = "model-licence";

    private const string LogCategory = "Federation.Silo.Artifacts.Federation";

    /// <summary>Maps the endpoints on the <c>/federation/v1</c> group.</summary>
    public static void MapArtifactFederationEndpoints(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet(ArtifactRoutes.ModelPath, GetModelAsync).WithName("FederationGetModel")
            .WithSummary("The catalogue record of one of this nation's active model versions.")
            .Produces<ModelArtifactRecord>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet(ArtifactRoutes.ArtifactPath, GetArtifactAsync).WithName("FederationGetModelArtifact")
            .WithSummary("The artifact bytes of an active model version, when its licence and restrictions let them go to the calling nation; SHA-256 in X-Content-Sha256.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>Whether <paramref name="spec"/>'s licence and restrictions let its artifact go to <paramref name="peer"/>; the rule and why not otherwise.</summary>
    public static bool MayGo(ModelArtifactSpec spec, NationCode peer, out string rule, out string why)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Licence.Value is "NONE" or "NOASSERTION" || spec.Licence.Value.StartsWith("LicenseRef-no-redistribution", StringComparison.OrdinalIgnoreCase))
        {
            (rule, why) = (LicenceRule, $"licence {spec.Licence} grants no redistribution");
            return false;
        }

        if (!spec.Restrictions.Allows(peer, out why))
        {
            rule = RestrictionsRule;
            return false;
        }

        (rule, why) = ("", "");
        return true;
    }

    private static async Task<IResult> GetModelAsync(string name, string version, IGrainFactory grains, LocalNation local) =>
        Federation.Silo.Catalogue.ModelEndpoints.TryParseRef(name, version, out var model, out var problem)
            ? await grains.GetGrain<IModelArtifactGrain>(model.GrainKey).GetAsync() is { Status: CatalogueStatus.Active } record
                ? (IResult)TypedResults.Ok(record)
                : NotHere(local, model)
            : problem!;

    private static async Task GetArtifactAsync(string name, string version, HttpContext http, IGrainFactory grains, LocalNation local, ContentStore store,
        IArtifactMetadataStore metadata, TransparencyRecorder recorder, ArtifactTransfers transfers, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(LogCategory);
        var peer = http.GetPeer().Code;
        var requestId = http.GetFederationRequestId();
        if (!Federation.Silo.Catalogue.ModelEndpoints.TryParseRef(name, version, out var model, out var problem))
        {
            await problem!.ExecuteAsync(http);
            return;
        }

        var record = await grains.GetGrain<IModelArtifactGrain>(model.GrainKey).GetAsync();
        var artifact = await metadata.GetAsync(model, http.RequestAborted);
        if (record is not { Status: CatalogueStatus.Active } || artifact is null)
        {
            await NotHere(local, model).ExecuteAsync(http);
            return;
        }

        var caller = TypedId.Parse<NationCode>(peer);
        if (!MayGo(record.Spec, caller, out var rule, out var why))
        {
            LogRefused(logger, model, peer, requestId, why);
            await recorder.RecordAsync(TransparencyEntryKind.Refusal, peer: peer, rule: rule,
                detail: [new("model", model.ToString()), new("reason", why)], cancellationToken: http.RequestAborted);
            await Problems.Status(StatusCodes.Status403Forbidden, "The artifact may not go there",
                $"the artifact of {model} does not go to {peer}: {why}",
                new Dictionary<string, object?> { ["model"] = model.ToString(), ["rule"] = rule }).ExecuteAsync(http);
            return;
        }

        await using var stream = store.OpenRead(artifact.Sha256);
        if (stream is null || stream.Length != artifact.SizeBytes)
        {
            await NotHere(local, model).ExecuteAsync(http);
            return;
        }

        var response = http.Response;
        response.ContentType = "application/octet-stream";
        response.ContentLength = artifact.SizeBytes;
        response.Headers[ArtifactRoutes.Sha256Header] = artifact.Sha256.Value;
        response.Headers.ETag = $"\"{artifact.Sha256.Value}\"";
        long sent = 0;
        try
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await stream.ReadAsync(buffer, http.RequestAborted)) > 0)
            {
                await response.Body.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted);
                sent += read;
            }

            LogServed(logger, model, peer, requestId, sent);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            LogRefused(logger, model, peer, requestId, $"aborted after {sent} bytes: {e.Message}");
        }

        _ = transfers.RecordAsync(model, record.Spec.Lineage.ProducingJob, caller, outbound: true, sent, artifact.SizeBytes, artifact.Sha256,
            sent == artifact.SizeBytes ? "complete" : "aborted", requestId, subject: null);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotHere(LocalNation local, ModelRef model) =>
        Problems.Status(StatusCodes.Status404NotFound, "No such model artifact", $"{local.Code} has no active model {model} with an artifact");

    [LoggerMessage(EventId = 7121, Level = LogLevel.Information, Message = "Audit: served the artifact of {Model} ({Bytes} bytes) to {Peer}, request {RequestId}")]
    private static partial void LogServed(ILogger logger, ModelRef model, string peer, Guid requestId, long bytes);

    [LoggerMessage(EventId = 7122, Level = LogLevel.Warning, Message = "Audit: the artifact of {Model} was not sent to {Peer}, request {RequestId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, ModelRef model, string peer, Guid requestId, string reason);
}
