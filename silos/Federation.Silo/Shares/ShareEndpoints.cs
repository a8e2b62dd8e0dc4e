using Federation.Contracts.Shares;
using Federation.Grains.Execution;
using Federation.Reference;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Federation.Silo.Shares;

/// <summary>The shares table of the user API (<c>GET /api/v1/shares</c>, <c>fedctl shares</c>).</summary>
public static class ShareEndpoints
{
    /// <summary>Maps <c>GET /api/v1/shares</c>, readable like the catalogue.</summary>
    public static RouteGroupBuilder MapShareEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/v1/shares").WithUserApiProblems().WithTags("Shares");
        group.MapGet("/", GetAsync).RequireAuthorization(Policies.Read).WithName("GetShares")
            .WithSummary("Entitlement, decayed usage and borrowed accelerators per nation and consortium, and the student tier's quota and use.");
        return group;
    }

    private static async Task<Ok<SharesView>> GetAsync(ShareLedgerService shares, ShareReclaimer reclaimer, CourseRegistry courses, NationCapacity capacity, ReferenceTables reference)
    {
        var pools = await capacity.PoolLinesAsync(reference);
        var view = await shares.ViewAsync(pools.Sum(p => p.Total), pools.Sum(p => p.Free));
        return TypedResults.Ok(view with
        {
            BorrowedRuns = [.. (await reclaimer.BorrowedAsync()).Select(b => new BorrowedRunLine
            {
                Job = b.Job.ToString(), Epoch = b.Epoch, Consortium = b.Consortium, Accelerators = b.Accelerators, StartedAt = b.StartedAt, EndsBy = b.EndsBy, ReturnBy = b.ReturnBy,
            })],
            Courses = [.. courses.All()],
        });
    }
}
