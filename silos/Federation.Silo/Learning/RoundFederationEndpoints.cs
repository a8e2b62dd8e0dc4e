using Federation.Contracts.Ids;
using Federation.Contracts.Learning;
using Federation.Learning.Protocol;
using Federation.Protocol.Rounds;
using Federation.Silo.Api;
using Federation.Silo.Jobs;
using Federation.Silo.Peering;

namespace Federation.Silo.Learning;

/// <summary>
/// <c>POST /federation/v1/rounds/messages</c>: one round message of a federated run, from the peer that
/// sends it (mutual TLS; its <c>from</c> must be that peer). The body is read strictly
/// (<see cref="Federation.Learning.Run.RoundMessageCodec"/>, 400 naming the field), then goes to the job's
/// coordinator or participant grain, whose decider accepts it (202) or refuses it naming the rule
/// (403 not in the round, unsafe, or an invitation this nation's catalogue refuses, 404 no such run, 409 replayed, stale or duplicate, 400 bad signature).
/// An accepted message is an <c>artifact-transfer</c> entry of the log (<see cref="RoundTransferLog"/>);
/// a refused one stores nothing.
/// </summary>
public static class RoundFederationEndpoints
{
    /// <summary>Maps the endpoint on the <c>/federation/v1</c> group.</summary>
    public static void MapRoundFederationEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost(RoundRoutes.MessagesPath, (Delegate)ReceiveAsync).WithName("FederationRoundMessage")
            .WithSummary("A federated run's round message between the aggregating nation and a data nation: accepted, or refused naming the rule.")
            .Accepts<RoundMessageDocument>("application/json").Produces<RoundDelivery>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http)
    {
        var (document, problem) = await JsonBody.ReadAsync<RoundMessageDocument>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var peer = JobFederationEndpoints.Peer(http);
        JobRef job;
        object message;
        try
        {
            (job, message) = RoundInbox.Read(peer, document);
        }
        catch (RoundMessageRefusedException e)
        {
            return Refusal(e.Reason, e.Message);
        }

        var services = http.RequestServices;
        services.GetRequiredService<RunKeyDirectory>().Remember(peer, http.Connection.ClientCertificate);
        var delivery = await services.GetRequiredService<RoundInbox>().DeliverAsync(peer, job, document!);
        if (!delivery.Accepted)
        {
            return Refusal(delivery.Reason, delivery.Detail ?? "refused");
        }

        var json = System.Text.Json.JsonSerializer.Serialize(document, RoundInbox.Json);
        _ = services.GetRequiredService<RoundTransferLog>().RecordAsync(job, message, json, peer, outbound: false, http.GetFederationRequestId());
        return TypedResults.Accepted((string?)null, delivery);
    }

    /// <summary>The problem answering a refusal of <paramref name="reason"/> (a <see cref="RefusalReason"/> name, camelCase or not).</summary>
    internal static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refusal(RefusalReason reason, string detail) => Refusal(Name(reason), detail);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refusal(string? reason, string detail)
    {
        var extensions = new Dictionary<string, object?> { ["rule"] = reason };
        return reason switch
        {
            "malformed" => Problems.Invalid(Field(detail), Rule(detail)),
            "notInRound" or "senderMismatch" or "unsafe" or "notHome" or "notInCatalogue" or "exports" => Problems.Status(StatusCodes.Status403Forbidden, "Refused by the round's rules", detail, extensions),
            "noRun" or "wrongJob" => Problems.Status(StatusCodes.Status404NotFound, "No such federated run here", detail, extensions),
            "badSignature" => Problems.Status(StatusCodes.Status400BadRequest, "Bad signature", detail, extensions),
            _ => Problems.Status(StatusCodes.Status409Conflict, "Replayed, stale or out of stage", detail, extensions),
        };
    }

    /// <summary>The wire name of a refusal reason (camelCase).</summary>
    public static string Name(RefusalReason reason)
    {
        var text = reason.ToString();
        return char.ToLowerInvariant(text[0]) + text[1..];
    }

    private static string Field(string detail)
    {
        var colon = detail.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 ? detail[..colon] : "body";
    }

    private static string Rule(string detail)
    {
        var colon = detail.IndexOf(": ", StringComparison.Ordinal);
        return (colon > 0 ? detail[(colon + 2)..] : detail).TrimEnd('.');
    }
}
