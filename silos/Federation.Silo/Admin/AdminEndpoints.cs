using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Auth;

namespace Federation.Silo.Admin;

/// <summary>/api/v1/admin: operator actions.</summary>
public static class AdminEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/admin").WithUserApiProblems().MapPost("/read-model:rebuild", RebuildAsync).RequireAuthorization(Policies.Operate)
            .WithTags("Admin").WithName("RebuildReadModel")
            .WithSummary("Writes every catalogue grain's state to the read model again.")
            .Produces<RebuildReport>().ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> RebuildAsync(ReadModelRebuilder rebuilder, HttpContext http)
    {
        if (!rebuilder.IsAvailable)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Nothing to rebuild",
                "This silo runs embedded: grain state and the in-memory index live and die together in this process, so they cannot diverge. Rebuild applies to a PostgreSQL-backed nation.");
        }

        var report = await rebuilder.RebuildAsync(progress: null, http.RequestAborted);
        return TypedResults.Ok(report);
    }
}
