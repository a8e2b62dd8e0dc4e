using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Grains.Catalogue.Index;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Api.Requests;
using Federation.Silo.Auth;
using Federation.Silo.Jobs.Staging;
using Federation.Silo.Nations;

namespace Federation.Silo.Catalogue;

/// <summary>/api/v1/datasets: register, update, get, list and search, withdraw, delete.</summary>
public static class DatasetEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapDatasetEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/datasets").WithTags("Datasets").WithUserApiProblems();
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Read).WithName("ListDatasets")
            .WithSummary("List and search datasets (keyset paging: pass nextAfter as after).")
            .WithQuery(QueryParameterDocs.Datasets).Produces<CataloguePage<DatasetRecord>>();
        group.MapPost("/", RegisterAsync).RequireAuthorization(Policies.Operate).WithName("RegisterDataset")
            .WithSummary("Register a dataset (201); the same spec again is unchanged (200), another spec for the id a 409.")
            .WithQuery(QueryParameterDocs.DryRun)
            .Accepts<DatasetRequest>("application/json").Produces<DatasetRecord>(StatusCodes.Status201Created).Produces<DatasetRecord>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.Read).WithName("GetDataset")
            .WithSummary("One dataset of this nation, with its version as ETag.").Produces<DatasetRecord>();
        group.MapPut("/{id}", UpdateAsync).RequireAuthorization(Policies.Operate).WithName("UpdateDataset")
            .WithSummary("Replace a dataset's spec; If-Match with the version read is required.")
            .Accepts<DatasetRequest>("application/json").Produces<DatasetRecord>().ProducesVersionedWriteProblems(ifMatchRequired: true);
        group.MapPost("/{id}:withdraw", WithdrawAsync).RequireAuthorization(Policies.Operate).WithName("WithdrawDataset")
            .WithSummary("Withdraw a dataset with a reason: it stays listed as withdrawn and no new job may use it.")
            .Accepts<WithdrawRequest>("application/json").Produces<DatasetRecord>().ProducesVersionedWriteProblems(ifMatchRequired: false);
        group.MapDelete("/{id}", DeleteAsync).RequireAuthorization(Policies.Operate).WithName("DeleteDataset")
            .WithSummary("Delete a dataset (optional If-Match).").Produces(StatusCodes.Status204NoContent).ProducesVersionedWriteProblems(ifMatchRequired: false);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, ICatalogueIndex index)
    {
        var errors = new ValidationErrors();
        var query = QueryParameters.Datasets(request, errors);
        return errors.IsEmpty ? TypedResults.Ok(await index.QueryDatasetsAsync(query, request.HttpContext.RequestAborted)) : Problems.Invalid(errors);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, IGrainFactory grains)
    {
        if (!DatasetId.TryParse(id, out var datasetId, out var error))
        {
            return Problems.Invalid("id", error);
        }

        var record = await grains.GetGrain<IDatasetGrain>(datasetId.GrainKey).GetAsync();
        if (record is null)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not found", $"dataset {datasetId} is not registered in this nation");
        }

        http.Response.Headers.ETag = Versioning.ETag(record.Version);
        return TypedResults.Ok(record);
    }

    private static Task<IResult> RegisterAsync(HttpContext http, IGrainFactory grains, CatalogueRequestParser parser, DataRoots dataRoots) =>
        CatalogueRequests.RegisterAsync<DatasetRequest, DatasetSpec, DatasetRecord>(
            http,
            async (body, errors) => Confined(parser.ParseDataset(body, await NationProfiles.CurrentAsync(grains), pathId: null, errors), dataRoots, errors),
            spec => grains.GetGrain<IDatasetGrain>(spec.Id.GrainKey).RegisterAsync(spec),
            r => r.Version,
            r => $"/api/v1/datasets/{r.Spec.Id}");

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, IGrainFactory grains, CatalogueRequestParser parser, DataRoots dataRoots)
    {
        if (!CatalogueRequests.TryParseId<DatasetId>(id, out var datasetId, out var problem))
        {
            return problem;
        }

        var grain = grains.GetGrain<IDatasetGrain>(datasetId.GrainKey);
        return await CatalogueRequests.UpdateAsync<DatasetRequest, DatasetSpec, DatasetRecord>(
            http,
            async (body, errors) => Confined(parser.ParseDataset(body, await NationProfiles.CurrentAsync(grains), datasetId.Value, errors), dataRoots, errors),
            async (spec, expected) => await grain.UpdateAsync(spec, expected ?? (await grain.GetAsync())?.Version ?? 0),
            r => r.Version);
    }

    // A file: location is an attacker-chosen path: it must resolve inside a data root (issue 13).
    private static DatasetSpec? Confined(DatasetSpec? spec, DataRoots dataRoots, ValidationErrors errors)
    {
        if (spec is not null && dataRoots.Check(spec.Location) is { Allowed: false } verdict)
        {
            errors.Add("location", verdict.Reason);
            return null;
        }

        return spec;
    }

    private static async Task<IResult> WithdrawAsync(string id, HttpContext http, IGrainFactory grains) =>
        CatalogueRequests.TryParseId<DatasetId>(id, out var datasetId, out var problem)
            ? await CatalogueRequests.WithdrawAsync<DatasetRecord>(http, "dataset", grains.GetGrain<IDatasetGrain>(datasetId.GrainKey).WithdrawAsync, r => r.Version)
            : problem;

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, IGrainFactory grains) =>
        CatalogueRequests.TryParseId<DatasetId>(id, out var datasetId, out var problem)
            ? await CatalogueRequests.DeleteAsync<DatasetRecord>(http, grains.GetGrain<IDatasetGrain>(datasetId.GrainKey).DeleteAsync, r => r.Version)
            : problem;

}
