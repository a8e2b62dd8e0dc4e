using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Grains.Catalogue.Index;
using Federation.Silo.Api.Requests;
using Federation.Silo.Auth;

namespace Federation.Silo.Api;

/// <summary>/api/v1/datasets: register, update, get, list and search, withdraw, delete.</summary>
public static class DatasetEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapDatasetEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/datasets").WithTags("Datasets");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Read).WithName("ListDatasets")
            .WithSummary("List and search datasets (keyset paging: pass nextAfter as after).");
        group.MapPost("/", RegisterAsync).RequireAuthorization(Policies.Operate).WithName("RegisterDataset")
            .Accepts<DatasetRequest>("application/json").Produces<DatasetRecord>(StatusCodes.Status201Created);
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.Read).WithName("GetDataset").Produces<DatasetRecord>();
        group.MapPut("/{id}", UpdateAsync).RequireAuthorization(Policies.Operate).WithName("UpdateDataset")
            .Accepts<DatasetRequest>("application/json").Produces<DatasetRecord>();
        group.MapPost("/{id}:withdraw", WithdrawAsync).RequireAuthorization(Policies.Operate).WithName("WithdrawDataset")
            .Accepts<WithdrawRequest>("application/json").Produces<DatasetRecord>();
        group.MapDelete("/{id}", DeleteAsync).RequireAuthorization(Policies.Operate).WithName("DeleteDataset");
    }

    private static async Task<IResult> ListAsync(HttpRequest request, ICatalogueIndex index)
    {
        var errors = new ValidationErrors();
        var query = new DatasetQuery
        {
            Text = QueryParameters.Text(request, "text", errors),
            Tag = QueryParameters.Text(request, "tag", errors),
            Licence = QueryParameters.Text(request, "licence", errors),
            IncludeWithdrawn = QueryParameters.Flag(request, "includeWithdrawn", errors),
            After = QueryParameters.Text(request, "after", errors),
            Limit = QueryParameters.Limit(request, errors),
        };
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

    private static async Task<IResult> RegisterAsync(HttpContext http, IGrainFactory grains, CatalogueRequestParser parser)
    {
        var (body, problem) = await JsonBody.ReadAsync<DatasetRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var nation = await NationProfiles.CurrentAsync(grains);
        var errors = new ValidationErrors();
        var spec = parser.ParseDataset(body!, nation, pathId: null, errors);
        if (spec is null)
        {
            return Problems.Invalid(errors);
        }

        if (DryRun.Requested(http.Request))
        {
            return TypedResults.Ok(spec);
        }

        var result = await grains.GetGrain<IDatasetGrain>(spec.Id.GrainKey).RegisterAsync(spec);
        return CommandResults.ToHttp(result, http, r => r.Version, r => $"/api/v1/datasets/{r.Spec.Id}");
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, IGrainFactory grains, CatalogueRequestParser parser)
    {
        if (!DatasetId.TryParse(id, out var datasetId, out var idError))
        {
            return Problems.Invalid("id", idError);
        }

        var (expected, ifMatchProblem) = Versioning.RequireIfMatch(http.Request);
        if (ifMatchProblem is not null)
        {
            return ifMatchProblem;
        }

        var (body, problem) = await JsonBody.ReadAsync<DatasetRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var nation = await NationProfiles.CurrentAsync(grains);
        var errors = new ValidationErrors();
        var spec = parser.ParseDataset(body!, nation, datasetId.Value, errors);
        if (spec is null)
        {
            return Problems.Invalid(errors);
        }

        var grain = grains.GetGrain<IDatasetGrain>(datasetId.GrainKey);
        var version = expected ?? (await grain.GetAsync())?.Version ?? 0;
        return CommandResults.ToHttp(await grain.UpdateAsync(spec, version), http, r => r.Version);
    }

    private static async Task<IResult> WithdrawAsync(string id, HttpContext http, IGrainFactory grains)
    {
        if (!DatasetId.TryParse(id, out var datasetId, out var idError))
        {
            return Problems.Invalid("id", idError);
        }

        var (expected, ifMatchProblem) = Versioning.OptionalIfMatch(http.Request);
        if (ifMatchProblem is not null)
        {
            return ifMatchProblem;
        }

        var (body, problem) = await JsonBody.ReadAsync<WithdrawRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Reason is not { Length: >= 1 and <= 1000 } reason)
        {
            return Problems.Invalid("reason", "is required (1 to 1000 characters): why the dataset is withdrawn");
        }

        var result = await grains.GetGrain<IDatasetGrain>(datasetId.GrainKey).WithdrawAsync(reason, expected);
        return CommandResults.ToHttp(result, http, r => r.Version);
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, IGrainFactory grains)
    {
        if (!DatasetId.TryParse(id, out var datasetId, out var idError))
        {
            return Problems.Invalid("id", idError);
        }

        var (expected, ifMatchProblem) = Versioning.OptionalIfMatch(http.Request);
        if (ifMatchProblem is not null)
        {
            return ifMatchProblem;
        }

        var result = await grains.GetGrain<IDatasetGrain>(datasetId.GrainKey).DeleteAsync(expected);
        return CommandResults.ToHttp(result, http, r => r.Version, deleted: true);
    }
}
