using System.Collections.Immutable;
using Federation.Contracts.Routing;
using Federation.Routing;

namespace Federation.Benchmarks;

/// <summary>
/// The baseline: a naive router that looks at every node of every nation for each decision, O(nodes),
/// instead of reading adverts. For each candidate it sums the nation's nodes per accelerator model
/// (one tight pass over compact rows, the cheapest per-node work there is), puts that capacity in
/// the candidate's advert, then decides with the same <see cref="Router"/>, so its decisions are
/// identical and the difference in time is the scan.
/// </summary>
internal sealed class PerNodeRouter(Router router, RoutingFederation federation, NodePopulation nodes)
{
    /// <summary>Decides <paramref name="request"/> (its candidates are replaced by ones summed from the nodes).</summary>
    public RoutingDecision Plan(RoutingRequest request)
    {
        var templates = federation.Templates;
        var candidates = ImmutableArray.CreateBuilder<CandidateNation>(templates.Length);
        for (var i = 0; i < templates.Length; i++)
        {
            var template = templates[i];
            candidates.Add(template.Advert is null ? template : template with { Advert = template.Advert with { Accelerators = nodes.Summarise(i) } });
        }

        return router.Plan(request with { Candidates = candidates.MoveToImmutable() });
    }
}
