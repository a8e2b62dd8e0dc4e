using Microsoft.AspNetCore.Http.HttpResults;
using Federation.Silo.Api;
using Federation.Transparency;

namespace Federation.Silo.Transparency;

/// <summary>
/// The transparency log on the federation API (mutual TLS): peers fetch this nation's signed heads
/// and the proofs that its log only grew, and consortia check that decisions about their jobs are in it.
/// </summary>
public static class TransparencyFederationEndpoints
{
    /// <summary>Maps the endpoints on the <c>/federation/v1</c> group.</summary>
    public static void MapTransparencyFederationEndpoints(this RouteGroupBuilder federation)
    {
        ArgumentNullException.ThrowIfNull(federation);
        federation.MapGet("/transparency/head", LatestHeadAsync).WithName("FederationTransparencyHead")
            .WithSummary("This nation's latest signed tree head (size, root, time, signature by its federation key).");
        federation.MapGet("/transparency/proofs/consistency", AuditEndpoints.ConsistencyAsync).WithName("FederationTransparencyConsistency")
            .WithSummary("A consistency proof between two sizes of this nation's log, so a peer can check a newer head against one it kept.");
        federation.MapGet("/transparency/proofs/inclusion", AuditEndpoints.InclusionAsync).WithName("FederationTransparencyInclusion")
            .WithSummary("An inclusion proof for one entry of this nation's log, with the entry's bytes.");
    }

    private static async Task<Results<Ok<AuditHead>, ProblemHttpResult>> LatestHeadAsync(ITransparencyLog log, CancellationToken cancellationToken) =>
        await log.LatestHeadAsync(cancellationToken) is { } head
            ? TypedResults.Ok(AuditHead.From(head))
            : Problems.Status(StatusCodes.Status404NotFound, "No signed head yet", "This nation has not signed a tree head yet.");
}
