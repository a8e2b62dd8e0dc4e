using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Grains.Catalogue.Index;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Api.Requests;
using Federation.Silo.Auth;

namespace Federation.Silo.Catalogue;

/// <summary>/api/v1/nodes: register, update, get, list, heartbeat, drain, delete.</summary>
public static class NodeEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapNodeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/nodes").WithTags("GPU nodes").WithUserApiProblems();
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Read).WithName("ListNodes")
            .WithSummary("List GPU nodes; filter by text, accelerator and state (keyset paging).")
            .WithQuery(QueryParameterDocs.Nodes).Produces<CataloguePage<GpuNodeRecord>>();
        group.MapPost("/", RegisterAsync).RequireAuthorization(Policies.Operate).WithName("RegisterNode")
            .WithSummary("Register a GPU node (201); the same spec again is unchanged (200), another spec for the id a 409.")
            .WithQuery(QueryParameterDocs.DryRun)
            .Accepts<NodeRequest>("application/json").Produces<GpuNodeRecord>(StatusCodes.Status201Created).Produces<GpuNodeRecord>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.Read).WithName("GetNode")
            .WithSummary("One GPU node, with its version as ETag.").Produces<GpuNodeRecord>();
        group.MapPut("/{id}", UpdateAsync).RequireAuthorization(Policies.Operate).WithName("UpdateNode")
            .WithSummary("Replace a node's spec; If-Match with the version read is required.")
            .Accepts<NodeRequest>("application/json").Produces<GpuNodeRecord>().ProducesVersionedWriteProblems(ifMatchRequired: true);
        group.MapPost("/{id}/heartbeat", HeartbeatAsync).RequireAuthorization(Policies.Heartbeat).WithName("NodeHeartbeat")
            .WithSummary("A node agent's heartbeat, with the measured power draw when it has one.")
            .Accepts<HeartbeatRequest>("application/json").Produces<GpuNodeRecord>().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id}:drain", DrainAsync).RequireAuthorization(Policies.Operate).WithName("DrainNode")
            .WithSummary("Drain a node (no new work) or undrain it.")
            .Accepts<DrainRequest>("application/json").Produces<GpuNodeRecord>().ProducesVersionedWriteProblems(ifMatchRequired: false);
        group.MapDelete("/{id}", DeleteAsync).RequireAuthorization(Policies.Operate).WithName("DeleteNode")
            .WithSummary("Delete a node (optional If-Match).").Produces(StatusCodes.Status204NoContent).ProducesVersionedWriteProblems(ifMatchRequired: false);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, ICatalogueIndex index, IGrainFactory grains)
    {
        var errors = new ValidationErrors();
        NodeState? state = null;
        if (QueryParameters.Text(request, "state", errors) is { } stateText)
        {
            if (Enum.TryParse<NodeState>(stateText, ignoreCase: true, out var s) && !int.TryParse(stateText, out _))
            {
                state = s;
            }
            else
            {
                errors.Add("state", $"'{stateText}' is not a node state: use up, draining or down");
            }
        }

        var query = new NodeQuery
        {
            Text = QueryParameters.Text(request, "text", errors),
            Accelerator = QueryParameters.Text(request, "accelerator", errors),
            State = state,
            After = QueryParameters.Text(request, "after", errors),
            Limit = QueryParameters.Limit(request, errors),
        };
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var page = await index.QueryNodesAsync(query, request.HttpContext.RequestAborted);
        return TypedResults.Ok(page with { Items = await NodeAllocations.FromLedgerAsync(grains, page.Items) });
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, IGrainFactory grains)
    {
        if (!NodeId.TryParse(id, out var nodeId, out var error))
        {
            return Problems.Invalid("id", error);
        }

        var record = await grains.GetGrain<IGpuNodeGrain>(nodeId.GrainKey).GetAsync();
        if (record is null)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not found", $"node {nodeId} is not registered in this nation");
        }

        http.Response.Headers.ETag = Versioning.ETag(record.Version);
        return TypedResults.Ok((await NodeAllocations.FromLedgerAsync(grains, [record]))[0]);
    }

    private static Task<IResult> RegisterAsync(HttpContext http, IGrainFactory grains, CatalogueRequestParser parser) =>
        CatalogueRequests.RegisterAsync<NodeRequest, GpuNodeSpec, GpuNodeRecord>(
            http,
            (body, errors) => Task.FromResult(parser.ParseNode(body, pathId: null, errors)),
            spec => grains.GetGrain<IGpuNodeGrain>(spec.Id.GrainKey).RegisterAsync(spec),
            r => r.Version,
            r => $"/api/v1/nodes/{r.Spec.Id}");

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, IGrainFactory grains, CatalogueRequestParser parser)
    {
        if (!CatalogueRequests.TryParseId<NodeId>(id, out var nodeId, out var problem))
        {
            return problem;
        }

        var grain = grains.GetGrain<IGpuNodeGrain>(nodeId.GrainKey);
        return await CatalogueRequests.UpdateAsync<NodeRequest, GpuNodeSpec, GpuNodeRecord>(
            http,
            (body, errors) => Task.FromResult(parser.ParseNode(body, nodeId.Value, errors)),
            async (spec, expected) => await grain.UpdateAsync(spec, expected ?? (await grain.GetAsync())?.Version ?? 0),
            r => r.Version);
    }

    private static async Task<IResult> HeartbeatAsync(string id, HttpContext http, IGrainFactory grains)
    {
        if (!NodeId.TryParse(id, out var nodeId, out var idError))
        {
            return Problems.Invalid("id", idError);
        }

        var (body, problem) = await JsonBody.ReadAsync<HeartbeatRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.PowerDrawWatts is { } watts && (!double.IsFinite(watts) || watts < 0 || watts > 1_000_000))
        {
            return Problems.Invalid("powerDrawWatts", $"must be 0 to 1,000,000 W, got {watts}");
        }

        var result = await grains.GetGrain<IGpuNodeGrain>(nodeId.GrainKey).HeartbeatAsync(new NodeHeartbeat(body.PowerDrawWatts));
        return CommandResults.ToHttp(result, http, r => r.Version);
    }

    private static async Task<IResult> DrainAsync(string id, HttpContext http, IGrainFactory grains)
    {
        if (!NodeId.TryParse(id, out var nodeId, out var idError))
        {
            return Problems.Invalid("id", idError);
        }

        var (expected, ifMatchProblem) = Versioning.OptionalIfMatch(http.Request);
        if (ifMatchProblem is not null)
        {
            return ifMatchProblem;
        }

        var (body, problem) = await JsonBody.ReadAsync<DrainRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var result = await grains.GetGrain<IGpuNodeGrain>(nodeId.GrainKey).SetDrainingAsync(body!.Draining ?? true, expected);
        return CommandResults.ToHttp(result, http, r => r.Version);
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, IGrainFactory grains) =>
        CatalogueRequests.TryParseId<NodeId>(id, out var nodeId, out var problem)
            ? await CatalogueRequests.DeleteAsync<GpuNodeRecord>(http, grains.GetGrain<IGpuNodeGrain>(nodeId.GrainKey).DeleteAsync, r => r.Version)
            : problem;

}
