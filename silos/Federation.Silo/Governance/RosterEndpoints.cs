using System.Text;
using Federation.Protocol.Roster;
using Federation.Silo.Api;
using Federation.Silo.Api.OpenApi;
using Federation.Silo.Auth;
using Federation.Silo.Peering;

namespace Federation.Silo.Governance;

/// <summary>
/// The governed roster over both APIs: peers read the version in force and any version of the chain,
/// and offer new versions, on the federation port; the nation's own admins read its state and submit
/// a signed version on the user API.
/// </summary>
public static class RosterEndpoints
{
    /// <summary>Maps the roster's federation endpoints on the <c>/federation/v1</c> group.</summary>
    public static RouteGroupBuilder MapRosterFederationEndpoints(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet(RosterRoutes.CurrentPath, (RosterGovernance governance) => TypedResults.Ok(governance.Status.Current))
            .WithName("FederationGetRoster")
            .WithSummary("The roster version in force at this nation, with the signatures that put it in force.")
            .Produces<SignedRoster>();
        group.MapGet(RosterRoutes.VersionPath, (long version, RosterGovernance governance) => governance.Find(version) is { } found
                ? (IResult)TypedResults.Ok(found)
                : Problems.Status(StatusCodes.Status404NotFound, "No such roster version", $"this nation holds roster versions 1 to {governance.Status.Version}, not {version}"))
            .WithName("FederationGetRosterVersion")
            .WithSummary("One version of the roster chain this nation holds (1 is the bootstrap roster file).")
            .Produces<SignedRoster>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost(RosterRoutes.VersionsPath, async (HttpContext http, RosterGovernance governance) =>
                await SubmitAsync(http, governance, http.GetPeer().Code))
            .WithName("FederationOfferRosterVersion")
            .WithSummary("Offers a signed roster version: applied when it is the next version, names the digest of the version in force and carries a quorum of valid signatures by its members; otherwise refused with the reason.")
            .Accepts<SignedRoster>("application/json")
            .Produces<RosterStatus>().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    /// <summary>Maps <c>/api/v1/roster</c> on the user API.</summary>
    public static RouteGroupBuilder MapRosterEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/roster").WithUserApiProblems().WithTags("Roster");
        group.MapGet("/", (RosterGovernance governance) => TypedResults.Ok(governance.Status)).RequireAuthorization(Policies.Read)
            .WithName("GetRoster")
            .WithSummary("The governed roster as this nation holds it: the version in force, its digest, the quorum the next version needs, its signatures, and the last version refused with the reason.");
        group.MapPost("/versions", async (HttpContext http, RosterGovernance governance) => await SubmitAsync(http, governance, RosterGovernance.LocalSource))
            .RequireAuthorization(Policies.Admin)
            .WithName("SubmitRosterVersion")
            .WithSummary("Submits a signed roster version (as made by fedctl roster propose and sign): applied and offered to every member when valid, refused with the reason otherwise.")
            .Accepts<SignedRoster>("application/json")
            .Produces<RosterStatus>().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, RosterGovernance governance, string source)
    {
        if (http.Request.ContentLength > SignedRoster.MaxBytes)
        {
            return Problems.Invalid("$", $"a roster version is at most {SignedRoster.MaxBytes} bytes");
        }

        var body = new byte[SignedRoster.MaxBytes + 1];
        var read = 0;
        int chunk;
        while (read < body.Length && (chunk = await http.Request.Body.ReadAsync(body.AsMemory(read), http.RequestAborted)) > 0)
        {
            read += chunk;
        }

        if (read > SignedRoster.MaxBytes)
        {
            return Problems.Invalid("$", $"a roster version is at most {SignedRoster.MaxBytes} bytes");
        }

        SignedRoster candidate;
        try
        {
            candidate = SignedRoster.Parse(Encoding.UTF8.GetString(body, 0, read));
        }
        catch (FormatException e)
        {
            return Problems.Invalid("$", e.Message);
        }

        var submission = await governance.SubmitAsync(candidate, source, http.RequestAborted);
        return submission.Outcome == RosterOutcome.Refused
            ? Problems.Status(StatusCodes.Status422UnprocessableEntity, "Roster version refused",
                $"roster version {candidate.Version} is refused and version {submission.Version} stays in force: {submission.Verdict.Reason}",
                new Dictionary<string, object?> { ["rule"] = "roster-quorum", ["signers"] = submission.Verdict.Signers, ["notCounted"] = submission.Verdict.Problems })
            : TypedResults.Ok(governance.Status);
    }
}
