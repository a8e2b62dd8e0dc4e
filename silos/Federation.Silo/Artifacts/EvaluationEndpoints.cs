using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Auth;
using Federation.Silo.Peering;

namespace Federation.Silo.Artifacts;

/// <summary>
/// Evaluations signed by other nations, model cards and leaderboards: <c>POST …:evaluate</c>
/// (operators: run one here on a local dataset, sign, send to every peer), <c>GET|POST …/evaluations</c>,
/// <c>GET …/verify</c>, <c>GET …/card</c> (JSON, or Markdown for <c>Accept: text/markdown</c> or
/// <c>?format=markdown</c>), <c>GET /api/v1/leaderboards/{nation}/{dataset}</c>, and the federation
/// API's <c>POST /federation/v1/models/{name}/versions/{version}/evaluations</c>.
/// </summary>
public static class EvaluationEndpoints
{
    /// <summary>Maps the user API's endpoints.</summary>
    public static IEndpointRouteBuilder MapEvaluationEndpoints(this IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/api/v1/models").WithTags("Models").WithUserApiProblems();
        models.MapPost("/{name}/versions/{version}:evaluate", EvaluateAsync).RequireAuthorization(Policies.Operate).WithName("EvaluateModel")
            .WithSummary("Evaluate a model version held here on one of this nation's datasets ({\"dataset\": \"bench\"}) with the allow-listed evaluation program; the result is signed with this nation's federation key, logged, attached, and sent to every peer.")
            .Accepts<EvaluateRequest>("application/json").Produces<SignedModelEvaluation>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        models.MapGet("/{name}/versions/{version}/evaluations", ListAsync).RequireAuthorization(Policies.Read).WithName("ListModelEvaluations")
            .WithSummary("The signed evaluations attached to a model version, each verified against the roster.")
            .Produces<IReadOnlyList<EvaluationView>>().ProducesProblem(StatusCodes.Status404NotFound);
        models.MapPost("/{name}/versions/{version}/evaluations", AttachAsync).RequireAuthorization(Policies.Operate).WithName("AttachModelEvaluation")
            .WithSummary("Attach a signed evaluation (as another nation signed it); verified first: a forged or altered one is refused naming the signature, and logged.")
            .Accepts<SignedModelEvaluation>("application/json").Produces<SignedModelEvaluation>()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        models.MapGet("/{name}/versions/{version}/verify", VerifyAsync).RequireAuthorization(Policies.Read).WithName("VerifyModel")
            .WithSummary("Check every evaluation of a model version against the roster's pins (retired ones for old signatures); valid is false and failures name each failing signature.")
            .Produces<ModelVerification>().ProducesProblem(StatusCodes.Status404NotFound);
        models.MapGet("/{name}/versions/{version}/card", CardAsync).RequireAuthorization(Policies.Read).WithName("GetModelCard")
            .WithSummary("The model card: intended use, data by reference with conditions, lineage, evaluations and who signed them, energy and emissions, per-round kWh and gCO2e, privacy budget, licence. JSON, or Markdown with Accept: text/markdown or ?format=markdown.")
            .Produces<ModelCard>().Produces<string>(StatusCodes.Status200OK, "text/markdown").ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGroup("/api/v1/leaderboards").WithTags("Models").WithUserApiProblems()
            .MapGet("/{nation}/{dataset}", LeaderboardAsync).RequireAuthorization(Policies.Read).WithName("GetLeaderboard")
            .WithSummary("The leaderboard of a benchmark dataset: every verified signed evaluation on it this nation's log holds (evaluations are sent to every nation), best AUC first.")
            .Produces<Leaderboard>();
        return app;
    }

    /// <summary>Maps the federation API's endpoint on the <c>/federation/v1</c> group.</summary>
    public static void MapEvaluationFederationEndpoints(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapPost(ArtifactRoutes.EvaluationsPath, ReceiveAsync).WithName("FederationReceiveEvaluation")
            .WithSummary("A signed model evaluation from a peer: verified against the roster, attached to the model where this nation holds it and to the dataset's leaderboard; a forged or altered one is refused and logged.")
            .Accepts<SignedModelEvaluation>("application/json").Produces<SignedModelEvaluation>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> EvaluateAsync(string name, string version, HttpContext http, ModelEvaluations evaluations, IHostApplicationLifetime lifetime)
    {
        if (!Federation.Silo.Catalogue.ModelEndpoints.TryParseRef(name, version, out var model, out var problem))
        {
            return problem!;
        }

        var (body, bodyProblem) = await JsonBody.ReadAsync<EvaluateRequest>(http.Request);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        if (!DatasetId.TryParse(body!.Dataset, out var dataset, out var error))
        {
            return Problems.Invalid("dataset", body.Dataset is null ? "is required: the id of one of this nation's datasets" : error);
        }

        var (signed, refused) = await evaluations.EvaluateAsync(model, dataset, Caller.Of(http).Subject, lifetime.ApplicationStopping);
        return refused ?? TypedResults.Created($"/api/v1/models/{model.Name}/versions/{model.Version}/evaluations", signed);
    }

    private static async Task<IResult> ListAsync(string name, string version, IGrainFactory grains, EvaluationVerifier verifier)
    {
        var (record, problem) = await FindAsync(name, version, grains);
        return record is null ? problem! : TypedResults.Ok<IReadOnlyList<EvaluationView>>(Views(record, verifier));
    }

    private static async Task<IResult> AttachAsync(string name, string version, HttpContext http, ModelEvaluations evaluations)
    {
        if (!Federation.Silo.Catalogue.ModelEndpoints.TryParseRef(name, version, out var model, out var problem))
        {
            return problem!;
        }

        var (signed, bodyProblem) = await ReadSignedAsync(http.Request, model);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var (attached, refused) = await evaluations.AttachAsync(signed!, null, Caller.Of(http).Subject, http.RequestAborted);
        return refused ?? TypedResults.Ok(attached);
    }

    private static async Task<IResult> ReceiveAsync(string name, string version, HttpContext http, ModelEvaluations evaluations)
    {
        if (!Federation.Silo.Catalogue.ModelEndpoints.TryParseRef(name, version, out var model, out var problem))
        {
            return problem!;
        }

        var (signed, bodyProblem) = await ReadSignedAsync(http.Request, model);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var (attached, refused) = await evaluations.AttachAsync(signed!, TypedId.Parse<NationCode>(http.GetPeer().Code), null, http.RequestAborted);
        return refused ?? TypedResults.Ok(attached);
    }

    private static async Task<IResult> VerifyAsync(string name, string version, IGrainFactory grains, EvaluationVerifier verifier)
    {
        var (record, problem) = await FindAsync(name, version, grains);
        if (record is null)
        {
            return problem!;
        }

        var views = Views(record, verifier);
        var failures = views.Where(v => !v.Verified).Select(v => v.Problem!).ToList();
        return TypedResults.Ok(new ModelVerification(record.Spec.Ref, record.Spec.Sha256, failures.Count == 0, views, failures));
    }

    private static async Task<IResult> CardAsync(string name, string version, HttpContext http, IGrainFactory grains, EvaluationVerifier verifier)
    {
        var (record, problem) = await FindAsync(name, version, grains);
        if (record is null)
        {
            return problem!;
        }

        var card = ModelCard.Of(record, Views(record, verifier));
        var wantsMarkdown = string.Equals(http.Request.Query["format"], "markdown", StringComparison.OrdinalIgnoreCase)
            || http.Request.Headers.Accept.Any(a => a?.Contains("text/markdown", StringComparison.OrdinalIgnoreCase) == true);
        return wantsMarkdown ? TypedResults.Text(card.ToMarkdown(), "text/markdown; charset=utf-8") : TypedResults.Ok(card);
    }

    private static async Task<IResult> LeaderboardAsync(string nation, string dataset, HttpContext http, EvaluationLedger ledger, EvaluationVerifier verifier)
    {
        if (!DatasetRef.TryParse($"{nation}/{dataset}", out var reference, out var error))
        {
            return Problems.Invalid("dataset", error);
        }

        var all = await ledger.ListAsync(reference, http.RequestAborted);
        var verdicts = all.Select(s => (Signed: s, Verdict: verifier.Verify(s))).ToList();
        var rows = verdicts.Where(v => v.Verdict.Valid).Select(v => v.Signed.Evaluation)
            .OrderByDescending(e => e.Auc ?? -1).ThenByDescending(e => e.Accuracy).ThenBy(e => e.Loss).ThenBy(e => e.Model.ToString(), StringComparer.Ordinal)
            .Select((e, i) => new LeaderboardRow(i + 1, e.Model, e.ModelSha256, e.Nation, e.EvaluatedAt, e.Rows, e.Accuracy, e.Auc, e.Loss, e.Calibration, e.Id))
            .ToList();
        return TypedResults.Ok(new Leaderboard(reference, rows, [.. verdicts.Where(v => !v.Verdict.Valid).Select(v => v.Verdict.Problem!)]));
    }

    private static List<EvaluationView> Views(ModelArtifactRecord record, EvaluationVerifier verifier) =>
        [.. (record.Evaluations.IsDefault ? [] : record.Evaluations).Select(e => EvaluationView.Of(e, verifier))];

    private static async Task<(ModelArtifactRecord? Record, IResult? Problem)> FindAsync(string name, string version, IGrainFactory grains)
    {
        if (!Federation.Silo.Catalogue.ModelEndpoints.TryParseRef(name, version, out var model, out var problem))
        {
            return (null, problem);
        }

        return await grains.GetGrain<IModelArtifactGrain>(model.GrainKey).GetAsync() is { } record
            ? (record, null)
            : (null, Problems.Status(StatusCodes.Status404NotFound, "Not found", $"model {model} is not registered in this nation"));
    }

    // The strict reader every other body goes through, from users and peers alike: application/json only (415), at most
    // Federation:MaxRequestBodyBytes (413), no unknown members, the shape rules (400 naming the path).
    private static async Task<(SignedModelEvaluation? Signed, IResult? Problem)> ReadSignedAsync(HttpRequest request, ModelRef model)
    {
        var (signed, problem) = await JsonBody.ReadAsync<SignedModelEvaluation>(request);
        if (problem is not null)
        {
            return (null, problem);
        }

        if (signed!.Evaluation is null)
        {
            return (null, Problems.Invalid("evaluation", "is required: the signed statement, with signerKey and signature"));
        }

        return signed.Evaluation.Model != model
            ? (null, Problems.Invalid("evaluation.model", $"is {signed.Evaluation.Model}, not the {model} of the URL"))
            : (signed, null);
    }
}
