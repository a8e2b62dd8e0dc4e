using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Json;
using Federation.Grains.Nations;
using Federation.Protocol.Evaluations;
using Federation.Protocol.Wire;
using Federation.Silo.Api;
using Federation.Silo.Jobs.Staging;
using Federation.Silo.Peering;
using Federation.Silo.Transparency;
using Federation.Transparency;

namespace Federation.Silo.Artifacts;

/// <summary>
/// Evaluations signed by the nation that holds the data: <see cref="EvaluateAsync"/> runs one here on
/// a local dataset (the model's bytes must be here: pulled with its home's licence and restrictions
/// checked), signs it with this nation's federation key, logs it and attaches it, then sends it to
/// every peer; <see cref="AttachAsync"/> takes one from a peer or an operator, verified against the
/// roster first: a forged or altered one is refused naming the signature, and logged.
/// </summary>
public sealed partial class ModelEvaluations(
    IGrainFactory grains,
    IArtifactMetadataStore metadata,
    ContentStore store,
    DataRoots dataRoots,
    FileDigestCache digests,
    IModelEvaluationRunner runner,
    NationIdentity identity,
    LocalNation local,
    RosterStore roster,
    PeerHttpClientFactory clients,
    EvaluationVerifier verifier,
    EvaluationLedger ledger,
    TransparencyRecorder recorder,
    TimeProvider time,
    ILogger<ModelEvaluations> logger)
{
    /// <summary>The transparency log's rule of a refused evaluation.</summary>
    public const string SignatureRule = "evaluation-signature";

    /// <summary>At most this many evaluations are attached to one model version.</summary>
    public const int MaxPerModel = 1000;

    /// <summary>Verifies <paramref name="claim"/> and attaches it to its model here (when held) and to its dataset's leaderboard; <paramref name="from"/> is the sending peer, null for an operator.</summary>
    public async Task<(SignedModelEvaluation? Attached, IResult? Problem)> AttachAsync(SignedModelEvaluation claim, NationCode? from, string? subject, CancellationToken ct)
    {
        var verdict = verifier.Verify(claim);
        if (!verdict.Valid)
        {
            LogRefused(logger, verdict.Problem!);
            await recorder.RecordAsync(TransparencyEntryKind.Refusal, dataset: claim?.Evaluation?.Dataset.Nation.Value is null ? null : claim.Evaluation.Dataset.ToString(),
                peer: from?.Value, rule: SignatureRule, subject: subject, detail: [new("reason", verdict.Problem!.Length > 500 ? verdict.Problem[..500] : verdict.Problem)], cancellationToken: ct);
            return (null, Problems.Status(verdict.OnRoster ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status403Forbidden,
                verdict.OnRoster ? "Evaluation signature invalid" : "Evaluating nation not on the roster", verdict.Problem!,
                new Dictionary<string, object?> { ["rule"] = SignatureRule, ["evaluation"] = claim?.Evaluation?.Id, ["nation"] = claim?.Evaluation?.Nation.Value }));
        }

        var evaluation = claim.Evaluation;
        var grain = grains.GetGrain<IModelArtifactGrain>(evaluation.Model.GrainKey);
        if (await grain.GetAsync() is { } record)
        {
            if (record.Spec.Sha256 != evaluation.ModelSha256)
            {
                return (null, Problems.Status(StatusCodes.Status409Conflict, "Another model's bytes",
                    $"{ModelEvaluationSignature.Name(evaluation)} is of bytes with sha256 {evaluation.ModelSha256}; {local.Code} holds {evaluation.Model} as {record.Spec.Sha256}"));
            }

            if (!record.Evaluations.IsDefault && !record.Evaluations.Any(e => e.Evaluation.Id == evaluation.Id) && record.Evaluations.Length >= MaxPerModel)
            {
                return (null, Problems.Status(StatusCodes.Status409Conflict, "Too many evaluations", $"{evaluation.Model} carries {MaxPerModel} evaluations already"));
            }

            await grain.AttachEvaluationAsync(claim);
        }

        var known = await ledger.ListAsync(evaluation.Dataset, ct);
        if (!known.Any(k => k.Evaluation.Id == evaluation.Id))
        {
            await ledger.RecordAsync(claim, from, subject, ct);
        }

        return (claim, null);
    }

    /// <summary>Evaluates <paramref name="model"/> on <paramref name="dataset"/> (a dataset of this nation), signs the result and sends it to every peer.</summary>
    public async Task<(SignedModelEvaluation? Signed, IResult? Problem)> EvaluateAsync(ModelRef model, DatasetId dataset, string subject, CancellationToken ct)
    {
        if (identity.Certificate is not { } certificate)
        {
            return (null, Problems.Status(StatusCodes.Status409Conflict, "No federation key", $"{local.Code} has no federation key to sign evaluations with (peering is off)"));
        }

        var record = await grains.GetGrain<IModelArtifactGrain>(model.GrainKey).GetAsync();
        var artifact = await metadata.GetAsync(model, ct);
        var modelPath = artifact is null ? null : store.PathOf(artifact.Sha256);
        if (record is null || artifact is null || store.SizeOf(artifact.Sha256) is null)
        {
            return (null, Problems.Status(StatusCodes.Status404NotFound, "Model bytes not here",
                $"{local.Code} holds no bytes of {model}: pull them from its home first (POST /api/v1/models/{model.Name}/versions/{model.Version}:pull), which its licence and restrictions decide"));
        }

        var data = await grains.GetGrain<IDatasetGrain>(dataset.GrainKey).GetAsync();
        if (data is not { Status: CatalogueStatus.Active } || !data.Spec.Location.IsFile)
        {
            return (null, Problems.Invalid("dataset", $"{local.Code} has no active dataset '{dataset}' stored as a local file: an evaluation runs where its data lives"));
        }

        var confined = dataRoots.Check(data.Spec.Location);
        if (!confined.Allowed || await digests.Sha256Async(confined.RealPath, ct) != data.Spec.Sha256.Value)
        {
            return (null, Problems.Status(StatusCodes.Status409Conflict, "Dataset unavailable", $"the file of {local.Code}/{dataset} is outside the data roots or no longer matches its catalogue sha256"));
        }

        EvaluationMetrics metrics;
        try
        {
            metrics = await runner.RunAsync(modelPath!, confined.RealPath, ct);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            return (null, Problems.Status(StatusCodes.Status409Conflict, "Evaluation failed", $"the evaluation of {model} on {local.Code}/{dataset} failed: {e.Message}"));
        }

        var statement = new ModelEvaluationStatement(Guid.NewGuid(), model, artifact.Sha256, new DatasetRef(local.Code, dataset), local.Code, time.GetUtcNow(),
            metrics.Rows, metrics.Accuracy, metrics.Auc, metrics.Loss, metrics.Calibration);
        var claim = ModelEvaluationSignature.Sign(statement, certificate);
        var (attached, problem) = await AttachAsync(claim, null, subject, ct);
        if (problem is not null)
        {
            return (null, problem);
        }

        _ = Task.Run(() => SendToPeersAsync(attached!), CancellationToken.None);
        return (attached, null);
    }

    /// <summary>Sends <paramref name="claim"/> to every peer of the roster; each verifies it and attaches it where it holds the model.</summary>
    public async Task SendToPeersAsync(SignedModelEvaluation claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var name = ModelEvaluationSignature.Name(claim.Evaluation);
        foreach (var peer in roster.Entries.Where(e => e.Code != local.Code.Value))
        {
            try
            {
                using var client = clients.CreateClient(peer);
                client.Timeout = TimeSpan.FromSeconds(30);
                using var request = new HttpRequestMessage(HttpMethod.Post, ArtifactRoutes.Evaluations(claim.Evaluation.Model))
                {
                    Content = JsonContent.Create(claim, options: FederationJson.Options),
                }.WithRequestId(Guid.NewGuid());
                using var response = await client.SendAsync(request);
                LogSent(logger, name, peer.Code, (int)response.StatusCode);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException)
            {
                LogSent(logger, name, peer.Code, 0);
            }
        }
    }

    [LoggerMessage(EventId = 7141, Level = LogLevel.Warning, Message = "Evaluation refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 7142, Level = LogLevel.Information, Message = "Sent {Evaluation} to {Peer}: HTTP {Status} (0: unreachable)")]
    private static partial void LogSent(ILogger logger, string evaluation, string peer, int status);
}
