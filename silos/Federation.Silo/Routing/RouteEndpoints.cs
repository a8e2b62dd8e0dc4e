using Federation.Contracts.Jobs;
using Federation.Contracts.Jobs.Requests;
using Federation.Contracts.Routing;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Api.Requests;
using Federation.Silo.Auth;

namespace Federation.Silo.Routing;

/// <summary><c>POST /api/v1/routes:plan</c>: where a job would run and why, without submitting it.</summary>
public static class RouteEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static void MapRouteEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1").WithUserApiProblems().MapPost("/routes:plan", PlanAsync).RequireAuthorization(Policies.Read).WithTags("Routing").WithName("PlanRoute")
            .WithSummary("Plan a job: every candidate nation with the rule that excluded it or its score components, and the ranking. Nothing is submitted.")
            .Accepts<JobRequest>("application/json")
            .Produces<RoutingDecision>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> PlanAsync(HttpRequest request, JobRequestParser parser, RoutePlanner planner, TimeProvider time)
    {
        var (_, plan, problem) = await ReadAndPlanAsync(request, parser, planner, time);
        if (problem is not null)
        {
            return problem;
        }

        return plan!.Decision is { } decision
            ? TypedResults.Ok(decision)
            : Problems.Status(StatusCodes.Status503ServiceUnavailable, "A nation the plan needs is unreachable", plan.Unavailable!);
    }

    /// <summary>
    /// Reads a job body and plans it: the spec and its plan, or the problem to answer (415, 413, 400
    /// naming each field, including inputs that do not exist and a workload no nation offers).
    /// </summary>
    public static async Task<(JobSpec? Spec, RoutePlan? Plan, IResult? Problem)> ReadAndPlanAsync(HttpRequest request, JobRequestParser parser, RoutePlanner planner, TimeProvider time)
    {
        var (body, problem) = await JsonBody.ReadAsync<JobRequest>(request);
        if (problem is not null)
        {
            return (null, null, problem);
        }

        var errors = new ValidationErrors();
        var spec = parser.Parse(body!, time.GetUtcNow(), errors);
        if (spec is null)
        {
            return (null, null, Problems.Invalid(errors));
        }

        var plan = await planner.PlanAsync(spec, request.HttpContext.RequestAborted);
        return plan.Errors is { } unknown ? (spec, plan, Problems.Invalid(unknown)) : (spec, plan, null);
    }
}
