using Federation.Grains.Nations;
using Federation.Silo.Api;
using Federation.Silo.Peering;
using Federation.Transparency.Peers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Federation.Silo.Transparency;

/// <summary>
/// /api/v1/audit/peers: the heads this nation kept from its peers (their consistency), and inclusion
/// proofs from a peer's log checked here against the peer's roster key.
/// </summary>
public static class PeerAuditEndpoints
{
    /// <summary>Maps the endpoints on the audit group.</summary>
    public static RouteGroupBuilder MapPeerAuditEndpoints(this RouteGroupBuilder audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        audit.MapGet("/peers", ListPeersAsync).WithName("ListAuditPeers")
            .WithSummary("Every rostered peer's transparency log as this nation sees it: the latest signed head accepted, how many, and the evidence when one was inconsistent, truncated or badly signed.");
        audit.MapGet("/peers/{nation}/prove", ProveAsync).WithName("ProvePeerInclusion")
            .WithSummary("Fetches a peer's inclusion proof for one of its entries and its signed head over the federation API, and checks both here against the peer's roster pins.");
        return audit;
    }

    private static async Task<Ok<IReadOnlyList<AuditPeer>>> ListPeersAsync(IPeerHeadStore store, RosterStore roster, LocalNation local, CancellationToken cancellationToken)
    {
        var states = (await store.StatesAsync(cancellationToken)).ToDictionary(s => s.Peer, StringComparer.Ordinal);
        var nations = roster.Entries.Select(e => e.Code).Where(c => c != local.Code.Value).Union(states.Keys).Order(StringComparer.Ordinal);
        return TypedResults.Ok<IReadOnlyList<AuditPeer>>([.. nations.Select(n => AuditPeer.From(n, states.GetValueOrDefault(n)))]);
    }

    private static async Task<Results<Ok<PeerInclusionVerdict>, ProblemHttpResult>> ProveAsync(
        string nation, long? index, long? size, RosterStore roster, LocalNation local, IPeerLogSource source, CancellationToken cancellationToken)
    {
        var peer = roster.Entries.FirstOrDefault(e => e.Code == nation);
        if (peer is null || nation == local.Code.Value)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not a peer", $"nation: '{nation}' is not a peer on this nation's roster.");
        }

        if (index is not >= 0)
        {
            return Problems.Invalid("index", "index: required, the entry's position in the peer's log (0 or more)");
        }

        if (size is < 1)
        {
            return Problems.Invalid("size", "size: 1 or more (default: the peer's latest signed head)");
        }

        PeerInclusion answer;
        try
        {
            answer = await source.InclusionAsync(nation, index.Value, size, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException or FormatException or System.Security.Authentication.AuthenticationException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return Problems.Status(StatusCodes.Status502BadGateway, "Peer log unavailable", $"{nation} did not serve an inclusion proof of entry {index}: {e.GetBaseException().Message}");
        }

        var pins = RosterPins.Of(peer);
        var problem = PeerHeadChecker.CheckInclusion(nation, index.Value, answer, pins);
        var proof = new InclusionProofAnswer(
            index.Value,
            answer.TreeSize,
            AuditEntry.From(answer.Entry),
            [.. answer.AuditPath.Select(Convert.ToBase64String)],
            answer.Head is null ? null : AuditHead.From(answer.Head));
        return TypedResults.Ok(new PeerInclusionVerdict(nation, index.Value, problem is null, problem, answer.Head is { } signed ? pins.ValidAt(signed.Head.Time) : pins.Active, proof));
    }
}
