using Federation.Contracts.Routing;
using Federation.Reference;
using static Federation.Routing.Tests.RouterFixtures;
using static Federation.Routing.Tests.Samples;

namespace Federation.Routing.Tests;

/// <summary>A nation whose advert says it drains is excluded with that reason, even when it would score best.</summary>
public sealed class RouterDrainTests
{
    private static readonly Router s_router = new(ReferenceTables.Shipped);

    [Fact]
    public void Plan_DrainingNation_ExcludedAsDrainingAndTheOtherChosen()
    {
        var draining = Advert(DE, Capacity(H100, 8, 8)) with { Draining = true };
        var other = Advert(FR, Capacity(H100, 1, 8)) with { GridIntensityGco2PerKwh = 900 };

        var decision = s_router.Plan(Request(Job(), [Reachable(draining), Reachable(other)]));

        var exclusion = Assert.Single(Assert.Single(decision.Candidates, c => c.Nation == DE).Exclusions);
        Assert.Equal((RoutingRule.Reachability, "DE is draining: it admits no new jobs"), (exclusion.Rule, exclusion.Reason));
        Assert.Equal(FR, decision.Chosen);
    }

    [Fact]
    public void Plan_OnlyNationDrains_NothingChosenAndTheExclusionSaysDraining()
    {
        var decision = s_router.Plan(Request(Job(), [Reachable(Advert(DE, Capacity(H100, 8, 8)) with { Draining = true })]));

        Assert.Null(decision.Chosen);
        Assert.Contains(Assert.Single(decision.Candidates).Exclusions, e => e.Reason == "DE is draining: it admits no new jobs");
    }
}
