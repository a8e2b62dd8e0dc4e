using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Grains.Catalogue.Index;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Api.Requests;
using Federation.Silo.Auth;

namespace Federation.Silo.Catalogue;

/// <summary>/api/v1/models: register, update, get, list, withdraw, delete model artifacts.</summary>
public static class ModelEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/models").WithTags("Models").WithUserApiProblems();
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Read).WithName("ListModels")
            .WithSummary("List and search model artifacts (keyset paging: pass nextAfter as after).")
            .WithQuery(QueryParameterDocs.Models).Produces<CataloguePage<ModelArtifactRecord>>();
        group.MapPost("/", RegisterAsync).RequireAuthorization(Policies.Operate).WithName("RegisterModel")
            .WithSummary("Register a model artifact (201); the same spec again is unchanged (200), another spec for the name and version a 409.")
            .WithQuery(QueryParameterDocs.DryRun)
            .Accepts<ModelRequest>("application/json").Produces<ModelArtifactRecord>(StatusCodes.Status201Created).Produces<ModelArtifactRecord>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{name}/versions/{version}", GetAsync).RequireAuthorization(Policies.Read).WithName("GetModel")
            .WithSummary("One model artifact, with its version as ETag.").Produces<ModelArtifactRecord>();
        group.MapPut("/{name}/versions/{version}", UpdateAsync).RequireAuthorization(Policies.Operate).WithName("UpdateModel")
            .WithSummary("Replace a model artifact's spec; If-Match with the version read is required.")
            .Accepts<ModelRequest>("application/json").Produces<ModelArtifactRecord>().ProducesVersionedWriteProblems(ifMatchRequired: true);
        group.MapPost("/{name}/versions/{version}:withdraw", WithdrawAsync).RequireAuthorization(Policies.Operate).WithName("WithdrawModel")
            .WithSummary("Withdraw a model artifact with a reason.")
            .Accepts<WithdrawRequest>("application/json").Produces<ModelArtifactRecord>().ProducesVersionedWriteProblems(ifMatchRequired: false);
        group.MapDelete("/{name}/versions/{version}", DeleteAsync).RequireAuthorization(Policies.Operate).WithName("DeleteModel")
            .WithSummary("Delete a model artifact (optional If-Match).").Produces(StatusCodes.Status204NoContent).ProducesVersionedWriteProblems(ifMatchRequired: false);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, ICatalogueIndex index)
    {
        var errors = new ValidationErrors();
        var query = QueryParameters.Models(request, errors);
        return errors.IsEmpty ? TypedResults.Ok(await index.QueryModelsAsync(query, request.HttpContext.RequestAborted)) : Problems.Invalid(errors);
    }

    /// <summary>The model named by a route's name and version, or the 400 naming the field.</summary>
    internal static bool TryParseRef(string name, string version, out ModelRef model, out IResult? problem)
    {
        problem = null;
        model = default;
        var errors = new ValidationErrors();
        if (!ModelName.TryParse(name, out var n, out var nameError))
        {
            errors.Add("name", nameError);
        }

        if (!ModelVersion.TryParse(version, out var v, out var versionError))
        {
            errors.Add("version", versionError);
        }

        if (!errors.IsEmpty)
        {
            problem = Problems.Invalid(errors);
            return false;
        }

        model = new ModelRef(n, v);
        return true;
    }

    private static async Task<IResult> GetAsync(string name, string version, HttpContext http, IGrainFactory grains)
    {
        if (!TryParseRef(name, version, out var model, out var problem))
        {
            return problem!;
        }

        var record = await grains.GetGrain<IModelArtifactGrain>(model.GrainKey).GetAsync();
        if (record is null)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not found", $"model {model} is not registered in this nation");
        }

        http.Response.Headers.ETag = Versioning.ETag(record.Version);
        return TypedResults.Ok(record);
    }

    private static Task<IResult> RegisterAsync(HttpContext http, IGrainFactory grains, CatalogueRequestParser parser) =>
        CatalogueRequests.RegisterAsync<ModelRequest, ModelArtifactSpec, ModelArtifactRecord>(
            http,
            (body, errors) => Task.FromResult(parser.ParseModel(body, pathRef: null, errors)),
            spec => grains.GetGrain<IModelArtifactGrain>(spec.Ref.GrainKey).RegisterAsync(spec),
            r => r.Version,
            r => $"/api/v1/models/{r.Spec.Ref.Name}/versions/{r.Spec.Ref.Version}");

    private static async Task<IResult> UpdateAsync(string name, string version, HttpContext http, IGrainFactory grains, CatalogueRequestParser parser)
    {
        if (!TryParseRef(name, version, out var model, out var problem))
        {
            return problem!;
        }

        var grain = grains.GetGrain<IModelArtifactGrain>(model.GrainKey);
        return await CatalogueRequests.UpdateAsync<ModelRequest, ModelArtifactSpec, ModelArtifactRecord>(
            http,
            (body, errors) => Task.FromResult(parser.ParseModel(body, model, errors)),
            async (spec, expected) => await grain.UpdateAsync(spec, expected ?? (await grain.GetAsync())?.Version ?? 0),
            r => r.Version);
    }

    private static async Task<IResult> WithdrawAsync(string name, string version, HttpContext http, IGrainFactory grains) =>
        TryParseRef(name, version, out var model, out var problem)
            ? await CatalogueRequests.WithdrawAsync<ModelArtifactRecord>(http, "model", grains.GetGrain<IModelArtifactGrain>(model.GrainKey).WithdrawAsync, r => r.Version)
            : problem!;

    private static async Task<IResult> DeleteAsync(string name, string version, HttpContext http, IGrainFactory grains) =>
        TryParseRef(name, version, out var model, out var problem)
            ? await CatalogueRequests.DeleteAsync<ModelArtifactRecord>(http, grains.GetGrain<IModelArtifactGrain>(model.GrainKey).DeleteAsync, r => r.Version)
            : problem!;

}
