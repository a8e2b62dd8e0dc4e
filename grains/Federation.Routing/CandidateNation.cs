using Federation.Contracts.Ids;
using Federation.Contracts.Peers;
using Federation.Routing.Trust;

namespace Federation.Routing;

/// <summary>A nation the job could run in, as the origin sees it: its health and its last advert.</summary>
/// <param name="Nation">The nation (the origin itself included).</param>
/// <param name="Health">Whether it is heard from.</param>
/// <param name="HealthReason">Why it is in that state, for the decision record.</param>
/// <param name="Advert">Its last accepted capability advert; null when it never advertised.</param>
public sealed record CandidateNation(NationCode Nation, PeerHealth Health, string HealthReason, CapabilityAdvert? Advert)
{
    /// <summary>
    /// What the advert's grid intensity and PUE are checked against; a claim out of bounds is noted on
    /// the candidate and the reference figure scored instead. Null: the advert's figures are used as they are.
    /// </summary>
    public ClaimReference? Reference { get; init; }
}
