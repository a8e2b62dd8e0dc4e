using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Api.Requests;
using Federation.Silo.Auth;

namespace Federation.Silo.Drain;

/// <summary><c>/api/v1/nation:drain</c> and <c>/api/v1/nation/drain</c>: drain this nation before maintenance or leaving, and watch it empty.</summary>
public static class DrainEndpoints
{
    /// <summary>The longest reason taken.</summary>
    public const int MaxReason = 200;

    /// <summary>Maps the endpoints.</summary>
    public static void MapDrainEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithUserApiProblems().WithTags("Nation");
        api.MapGet("/nation/drain", (NationDrainer drainer, HttpContext http) => drainer.StatusAsync(http.RequestAborted))
            .RequireAuthorization(Policies.Operate).WithName("GetNationDrain")
            .WithSummary("Whether this nation drains, and what it still holds: executions running, leased, and with reports pending to their origins.")
            .Produces<NationDrainStatus>();
        api.MapPost("/nation:drain", DrainAsync).RequireAuthorization(Policies.Operate).WithName("DrainNation")
            .WithSummary("Drain this nation (no new offers admitted; with giveBack, running executions are stopped and given back to their origins) or undrain it.")
            .Accepts<NationDrainRequest>("application/json").Produces<NationDrainStatus>().ProducesValidationProblem();
    }

    private static async Task<IResult> DrainAsync(HttpContext http, NationDrainer drainer)
    {
        var (body, problem) = await JsonBody.ReadAsync<NationDrainRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        var draining = body!.Draining ?? true;
        var reason = body.Reason is null ? "operator drain" : RequestFields.Text(body.Reason, "reason", 1, MaxReason, errors);
        if (!draining && body.GiveBack == true)
        {
            errors.Add("giveBack", "only with draining: an undrain gives nothing back");
        }

        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        return TypedResults.Ok(await drainer.SetAsync(draining, body.GiveBack ?? false, draining ? reason! : "", Caller.Of(http).Subject, http.RequestAborted));
    }
}
