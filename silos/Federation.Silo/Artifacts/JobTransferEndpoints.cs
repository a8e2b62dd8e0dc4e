using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Grains.Nations;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Auth;
using Federation.Silo.Auth.Audit;
using Federation.Silo.Transparency;
using Federation.Transparency;

namespace Federation.Silo.Artifacts;

/// <summary>
/// <c>GET /api/v1/jobs/{id}/transfers</c>: every byte of a job this nation originated that crossed a
/// border, read from this nation's transparency log (its <c>artifact-transfer</c> entries naming the
/// job: staged datasets, outputs and logs fetched, model artifacts, federated rounds' messages).
/// Seen by whoever may see the job.
/// </summary>
public static class JobTransferEndpoints
{
    /// <summary>At most this many entries are read for one answer.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapJobTransferEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/jobs").WithTags("Jobs").WithUserApiProblems()
            .MapGet("/{id}/transfers", ListAsync).RequireAuthorization(Policies.Jobs).WithName("ListJobTransfers")
            .WithSummary("Every byte of the job that crossed a border, as this nation's transparency log records it: what, from, to, bytes, sha256, status, when.")
            .Produces<IReadOnlyList<JobTransfer>>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ListAsync(string id, HttpContext http, IGrainFactory grains, LocalNation local, ITransparencyLog log)
    {
        if (!JobRef.TryParse($"{local.Code}/{id}", out var job, out _)
            || await grains.GetGrain<IJobGrain>(IJobGrain.KeyOf(job)).GetAsync() is not { } record)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "No such job", $"{local.Code} has no job '{id}'; a job's transfers are read in the nation it was submitted to");
        }

        if (JobAccess.CheckSee(Caller.Of(http), record.Spec) is { } rule)
        {
            return await AccessRefusals.ForbiddenAsync(http, JobAccess.SeeRuleName, rule, "transfers", job.ToString());
        }

        var transfers = new List<JobTransfer>();
        long from = 0;
        while (transfers.Count < MaxEntries)
        {
            var rows = await log.QueryAsync(new TransparencyQuery(job.ToString(), Kind: TransparencyEntryKind.ArtifactTransfer, From: from, Limit: TransparencyQuery.MaxLimit), http.RequestAborted);
            transfers.AddRange(rows.Select(row => JobTransfer.Of(AuditEntry.From(row), local.Code.Value)));
            if (rows.Count < TransparencyQuery.MaxLimit)
            {
                break;
            }

            from = rows[^1].Index + 1;
        }

        return TypedResults.Ok<IReadOnlyList<JobTransfer>>(transfers);
    }
}
