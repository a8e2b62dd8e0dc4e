using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Silo.Overview;
using Federation.Transparency;
using static Federation.Silo.Tests.Overview.OverviewFixtures;

namespace Federation.Silo.Tests.Overview;

public sealed class OverviewBuilderTests
{
    [Fact]
    public void Build_ThreeNations_ListsEveryNationThisOneFirstWithHealthCapacityAndCarbon()
    {
        var model = OverviewBuilder.Build(Facts());

        Assert.Equal(["DE", "FR", "SE"], model.Nations.Select(n => n.Code));
        var de = model.Nations[0];
        Assert.True(de.IsLocal);
        Assert.Equal("this nation", de.Health);
        var fr = model.Nations[1];
        Assert.Equal("reachable", fr.Health);
        Assert.Null(fr.HealthReason);
        Assert.Equal("1", fr.Protocols);
        Assert.Equal((2, 4), (fr.Accelerators.Single().Free, fr.Accelerators.Single().Total));
        Assert.Equal(56, fr.GridIntensity);
        Assert.Equal(1.2, fr.Pue);
        var se = model.Nations[2];
        Assert.Equal("unreachable", se.Health);
        Assert.Equal("missed three advert intervals", se.HealthReason);
        Assert.Empty(se.Accelerators);
        Assert.Null(se.GridIntensity);
    }

    [Fact]
    public void Build_PeerWithoutStatus_IsUnknownAndItsRosterProtocolsShow()
    {
        var model = OverviewBuilder.Build(Facts(peers: []));

        var fr = model.Nations.Single(n => n.Code == "FR");
        Assert.Equal("unknown", fr.Health);
        Assert.Equal("1", fr.Protocols);
        Assert.Equal("unchecked", fr.Log);
        Assert.False(fr.LogFlagged);
    }

    [Fact]
    public void Build_AdvertNamedOtherwiseThanTheRoster_ShowsBothNames()
    {
        var peers = new[] { new PeerStatus { Nation = Code("FR"), Health = PeerHealth.Reachable, LastAdvert = Advert("FR", "Not France") } };

        var model = OverviewBuilder.Build(Facts(peers: peers));

        Assert.Equal("France (advertises \"Not France\")", model.Nations.Single(n => n.Code == "FR").Name);
    }

    [Fact]
    public void Build_InconsistentPeerLogHeads_AreFlaggedWithTheReason()
    {
        var peers = new[]
        {
            new PeerStatus { Nation = Code("FR"), Health = PeerHealth.Reachable, Transparency = "inconsistent", TransparencyReason = "size 9 root a does not extend size 5 root b" },
            new PeerStatus { Nation = Code("SE"), Health = PeerHealth.Reachable, Transparency = "consistent" },
        };

        var model = OverviewBuilder.Build(Facts(peers: peers));

        var flagged = Assert.Single(model.FlaggedLogs);
        Assert.Equal("FR", flagged.Code);
        Assert.Equal("size 9 root a does not extend size 5 root b", flagged.LogReason);
        Assert.False(model.Nations.Single(n => n.Code == "SE").LogFlagged);
    }

    [Fact]
    public void Build_Jobs_CountsByStateAndByOriginAndExecutingNation()
    {
        var jobs = new[]
        {
            Job("t-1", JobState.Running, "FR"),
            Job("t-2", JobState.Succeeded, "FR"),
            Job("t-3", JobState.Succeeded, "FR"),
            Job("t-4", JobState.Succeeded, "SE"),
            Job("t-5", JobState.Planned, null, "no nation has a free h100-80gb-sxm"),
        };

        var model = OverviewBuilder.Build(Facts(jobs: jobs));

        Assert.Equal([new("planned", 1), new("running", 1), new("succeeded", 3)], model.JobStates);
        Assert.Equal(5, model.JobsTotal);
        Assert.Equal(["DE→FR", "DE→SE"], model.Flows.Select(f => $"{f.Origin}→{f.Target}"));
        var toFrance = model.Flows[0];
        Assert.Equal(1, toFrance.Counts["running"]);
        Assert.Equal(2, toFrance.Counts["succeeded"]);
        Assert.False(toFrance.Counts.ContainsKey("failed"));
    }

    [Fact]
    public void Build_PendingJobs_OldestFirstWithTheirReasonsAndBounded()
    {
        var jobs = Enumerable.Range(0, OverviewBuilder.MaxPending + 5)
            .Select(i => Job($"t-{i}", i % 2 == 0 ? JobState.Planned : JobState.Requeued, null, $"reason {i}", minutesAgo: i))
            .Append(Job("t-placed", JobState.Queued, "FR"))
            .ToList();

        var model = OverviewBuilder.Build(Facts(jobs: jobs));

        Assert.Equal(OverviewBuilder.MaxPending, model.Pending.Count);
        Assert.Equal(OverviewBuilder.MaxPending + 5, model.PendingTotal);
        Assert.Equal($"DE/t-{OverviewBuilder.MaxPending + 4}", model.Pending[0].Job);
        Assert.Equal($"reason {OverviewBuilder.MaxPending + 4}", model.Pending[0].Reason);
        Assert.DoesNotContain(model.Pending, p => p.Job == "DE/t-placed");
    }

    [Fact]
    public void Build_Refusals_NewestFirstAndBounded()
    {
        var refusals = Enumerable.Range(0, OverviewBuilder.MaxRefusals + 3)
            .Select(i => TransparencyEntry.Create(TransparencyEntryKind.Refusal, Now.AddSeconds(i), job: $"FR/t-{i}", peer: "FR", rule: "capacity", detail: [new("reason", $"full {i}")]))
            .ToList();

        var model = OverviewBuilder.Build(Facts(refusals: refusals));

        Assert.Equal(OverviewBuilder.MaxRefusals, model.Refusals.Count);
        Assert.Equal($"FR/t-{OverviewBuilder.MaxRefusals + 2}", model.Refusals[0].Job);
        Assert.Equal("capacity", model.Refusals[0].Rule);
        Assert.Equal($"reason=full {OverviewBuilder.MaxRefusals + 2}", model.Refusals[0].Detail);
    }

    [Fact]
    public void Build_NoRosterEntryForThisNation_StillShowsThisNation()
    {
        var model = OverviewBuilder.Build(Facts(peers: [], roster: []));

        var de = Assert.Single(model.Nations);
        Assert.Equal(("DE", "Germany", "this nation"), (de.Code, de.Name, de.Health));
    }
}
