using Federation.Contracts.Jobs;
using Federation.Learning.Protocol;
using Federation.Learning.Run;
using static Federation.Unit.Tests.Learning.Run.RunSimulation;

namespace Federation.Unit.Tests.Learning.Run;

public sealed class FederatedRunSimulationTests
{
    [Fact]
    public void Run_ThreeNationsAllUp_RunsEveryRoundAndEachAverageIsFedAvgInTheClear()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait, rounds: 5);
        sim.Start();
        sim.Run();

        Assert.Equal(RunPhase.Succeeded, sim.Coordinator.Phase);
        Assert.Equal([1, 2, 3, 4, 5], sim.Coordinator.History.Where(r => r.Outcome == "completed").Select(r => r.Round));
        Assert.All(sim.Coordinator.History, r => Assert.Equal(3, r.Contributors.Length));
        Assert.Empty(sim.Refusals);
        Assert.True(sim.Coordinator.History[^1].ValidationLoss < sim.Coordinator.History[0].ValidationLoss, "the loss should fall over the rounds");
    }

    [Fact]
    public void Run_AggregatorHoldsOnlyMaskedInputsAndMetrics_NeverAPlainUpdate()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait, rounds: 3);
        sim.Start();
        sim.Run();

        var kinds = sim.Coordinator.Received.Select(m => m.GetType()).Distinct().ToHashSet();
        Assert.Subset(new HashSet<Type> { typeof(KeyAdvert), typeof(ShareKeysMessage), typeof(MaskedInput), typeof(UnmaskingResponse), typeof(RoundMetrics) }, kinds);
        var inputs = sim.Coordinator.Received.OfType<MaskedInput>().ToList();
        Assert.Equal(9, inputs.Count);
        var levels = Quantisation.Levels;
        foreach (var input in inputs)
        {
            // A quantised update lies in [0, 2^20); a masked one is uniform mod 2^32, so almost no entry falls in range.
            var inRange = input.Values.Count(v => v < levels);
            Assert.True(inRange <= 2, $"{input.From}'s masked input of {input.Round} has {inRange} entries inside the quantisation range: not masked");
        }
    }

    [Theory]
    [InlineData(RoundFailurePolicy.SkipNation)]
    [InlineData(RoundFailurePolicy.Wait)]
    public void Run_FourNationsContributorKilledMidRound_DropoutRecoveredFromSharesAndRunFinishesWithOneModel(RoundFailurePolicy policy)
    {
        using var sim = new RunSimulation(["DE", "FR", "NL", "SE"], "SE", policy, rounds: 4);
        sim.BeforeDelivery = e =>
        {
            if (e.Body is RelayedShares shares && shares.Session == sim.Terms.Session(2, 0) && e.To == N("DE"))
            {
                sim.Kill(N("DE"));
            }
        };
        sim.Start();
        sim.Run();

        Assert.Equal(RunPhase.Succeeded, sim.Coordinator.Phase);
        var round2 = Assert.Single(sim.Coordinator.History, r => r.Round == 2);
        Assert.Equal("completed", round2.Outcome);
        Assert.Equal([N("DE")], round2.Dropped);
        Assert.Equal([N("FR"), N("NL"), N("SE")], round2.Contributors);
        Assert.Equal(4, sim.Coordinator.History.Count(r => r.Outcome == "completed"));
        Assert.All(sim.Coordinator.History.Where(r => r.Round > 2), r => Assert.DoesNotContain(N("DE"), r.Contributors));
    }

    [Fact]
    public void Run_ThreeNationsOneKilledUnderWait_RoundWaitsThenRetriesWithFreshKeysWhenItReturns()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait, rounds: 3);
        KeyAdvert? staleAdvert = null;
        sim.BeforeDelivery = e =>
        {
            if (e.Body is KeyAdvert advert && advert.Round == sim.Terms.Session(2, 0) && e.From == N("DE"))
            {
                staleAdvert = advert;
            }

            if (e.Body is RelayedShares shares && shares.Session == sim.Terms.Session(2, 0) && e.To == N("DE"))
            {
                sim.Kill(N("DE"));
            }
        };
        sim.Start();
        sim.Run(maxTimeouts: 5);

        Assert.Equal(RunPhase.Waiting, sim.Coordinator.Phase);
        Assert.Equal(2, sim.Coordinator.Round);
        Assert.DoesNotContain(sim.Coordinator.History, r => r.Round == 2 && r.Outcome == "completed");
        Assert.Contains("besides the aggregator", sim.Coordinator.Reason, StringComparison.Ordinal);

        sim.BeforeDelivery = null;
        sim.Restart(N("DE"));
        sim.DeliverAll();
        Assert.Contains(sim.Coordinator.History, r => r.Round == 2 && r.Outcome == "retried");
        var stale = sim.Inject(N("DE"), sim.Aggregator, staleAdvert!);
        Assert.Equal(RefusalReason.WrongRound, stale.Reason);

        sim.Run();
        Assert.Equal(RunPhase.Succeeded, sim.Coordinator.Phase);
        Assert.Contains(sim.Coordinator.History, r => r.Round == 2 && r.Outcome == "retried");
        var retried = Assert.Single(sim.Coordinator.History, r => r.Round == 2 && r.Outcome == "completed");
        Assert.Equal(1, retried.Attempt);
        Assert.Equal(3, retried.Contributors.Length);
    }

    [Fact]
    public void Run_ThreeNationsOneKilledUnderWait_StopsWhenTheWaitBoundPasses()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait, rounds: 3, waitBound: TimeSpan.FromMinutes(20));
        sim.BeforeDelivery = e =>
        {
            if (e.Body is RoundStart start && start.Round == 2 && e.To == N("FR"))
            {
                sim.Kill(N("FR"));
            }
        };
        sim.Start();
        sim.Run();

        Assert.Equal(RunPhase.Stopped, sim.Coordinator.Phase);
        Assert.Contains("waited 20 minutes", sim.Coordinator.Reason, StringComparison.Ordinal);
        Assert.Equal(1, sim.Coordinator.History.Count(r => r.Outcome == "completed"));
    }

    [Fact]
    public void Run_ThreeNationsOneKilledUnderSkipNation_SkipsRoundsWithoutItAndCompletesAfterItReturns()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.SkipNation, rounds: 5);
        sim.BeforeDelivery = e =>
        {
            if (e.Body is RoundStart start && start.Round == 2 && e.To == N("DE"))
            {
                sim.Kill(N("DE"));
            }
        };
        sim.Start();
        sim.Run(until: () => sim.Coordinator.Round == 4);
        sim.BeforeDelivery = null;
        sim.Restart(N("DE"));
        sim.Run();

        Assert.Equal(RunPhase.Succeeded, sim.Coordinator.Phase);
        Assert.Equal("skipped", Assert.Single(sim.Coordinator.History, r => r.Round == 2).Outcome);
        Assert.Equal("skipped", Assert.Single(sim.Coordinator.History, r => r.Round == 3).Outcome);
        Assert.Equal("completed", Assert.Single(sim.Coordinator.History, r => r.Round == 5).Outcome);
    }

    [Fact]
    public void Run_ThreeNationsOneKilledUnderStop_StopsTheJobNamingTheShortfall()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Stop, rounds: 3);
        sim.BeforeDelivery = e =>
        {
            if (e.Body is RoundStart start && start.Round == 2 && e.To == N("DE"))
            {
                sim.Kill(N("DE"));
            }
        };
        sim.Start();
        sim.Run();

        Assert.Equal(RunPhase.Stopped, sim.Coordinator.Phase);
        Assert.StartsWith("round 2: AdvertisingKeys: 2 nations answered (1 besides the aggregator SE)", sim.Coordinator.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ValidationLossRule_StopsWhenTheLossSettles()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait, rounds: 50, minLossChange: 0.01);
        sim.Start();
        sim.Run();

        Assert.Equal(RunPhase.Succeeded, sim.Coordinator.Phase);
        Assert.InRange(sim.Coordinator.Round, 2, 49);
        Assert.Contains("validation loss changed by less than 0.01", sim.Coordinator.Reason, StringComparison.Ordinal);
        var last = sim.Coordinator.History.Where(r => r.Outcome == "completed").TakeLast(2).Select(r => r.ValidationLoss!.Value).ToArray();
        Assert.True(Math.Abs(last[1] - last[0]) < 0.01);
    }
}
