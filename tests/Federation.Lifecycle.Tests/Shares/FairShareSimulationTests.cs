using Federation.Lifecycle.Shares;

namespace Federation.Lifecycle.Tests.Shares;

public sealed class FairShareSimulationTests
{
    private static readonly TimeSpan s_tick = TimeSpan.FromMinutes(5);

    private static readonly Dictionary<string, double> s_contributions = new(StringComparer.Ordinal) { ["FR"] = 500, ["DE"] = 300, ["SE"] = 150, ["EE"] = 10 };

    /// <summary>Received share within this of the entitlement (absolute) after warm-up.</summary>
    private const double Tolerance = 0.03;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public void Contention_EveryNationsReceivedShare_ConvergesToItsEntitlement(int seed)
    {
        var sim = new FairShareSimulation(seed, 100, s_contributions, new ShareSettings { HalfLife = TimeSpan.FromHours(24), MinimumShare = 0.05 }, r => r.Next(1, 9));
        sim.Demanding.UnionWith(s_contributions.Keys);

        Run(sim, TimeSpan.FromHours(300));
        sim.ResetReceived();
        Run(sim, TimeSpan.FromHours(600));

        var total = sim.Received.Values.Sum();
        foreach (var (nation, entitled) in sim.Entitlements)
        {
            var received = sim.Received.GetValueOrDefault(nation) / total;
            Assert.True(Math.Abs(received - entitled) <= Tolerance,
                $"seed {seed}: {nation} received {received:P2} of the federation, entitled to {entitled:P2} (tolerance {Tolerance:P0})");
        }

        var jain = FairShare.JainIndex(sim.Entitlements.Select(e => (sim.Received.GetValueOrDefault(e.Key) / total, e.Value)));
        Assert.True(jain >= 0.99, $"seed {seed}: Jain's index of received over entitled is {jain:0.0000}");
        Assert.Equal(0.05, sim.Entitlements["EE"], 9);
    }

    [Fact]
    public void OwnerDemandArrives_BorrowedCapacityComesBackWithinTheGrace()
    {
        var settings = new ShareSettings { HalfLife = TimeSpan.FromHours(24), ReclaimGrace = TimeSpan.FromMinutes(10) };
        var sim = new FairShareSimulation(3, 100, s_contributions, settings, _ => 4);
        sim.Demanding.UnionWith(["FR", "DE"]);
        Run(sim, TimeSpan.FromHours(48));
        Assert.Equal(0, sim.HeldBy("SE"));
        Assert.True(sim.Free < 4, $"FR and DE should fill the pool by borrowing SE's idle share; {sim.Free} free");

        var owed = (int)Math.Floor(sim.Entitlements["SE"] * sim.Capacity);
        var arrived = sim.Time.GetUtcNow();
        sim.Demanding.Add("SE");
        var steps = sim.ReclaimFor(owed);

        Assert.NotEmpty(steps);
        Assert.All(steps, s => Assert.True(s.Run.Borrowed, $"{s.Run.Holder} was not borrowed but is reclaimed"));
        Assert.True(steps.Sum(s => s.Run.Accelerators) + sim.Free >= owed, $"the plan frees {steps.Sum(s => s.Run.Accelerators)} with {sim.Free} free, {owed} owed");
        Assert.All(steps, s => Assert.True(s.ReturnBy <= arrived + settings.ReclaimGrace, $"{s.Run.Holder} returns at {s.ReturnBy:O}, after the bound"));

        Run(sim, settings.ReclaimGrace + s_tick);
        Assert.True(sim.HeldBy("SE") >= owed, $"SE holds {sim.HeldBy("SE")} accelerators {settings.ReclaimGrace + s_tick} after its demand arrived; owed {owed}");
    }

    [Fact]
    public void OwnerDemandArrives_DrainAtWalltime_NothingInterruptedAndCapacityBackByTheLatestWalltimeChosen()
    {
        var settings = new ShareSettings { HalfLife = TimeSpan.FromHours(24), ReclaimPolicy = ReclaimPolicy.DrainAtWalltime };
        var sim = new FairShareSimulation(3, 100, s_contributions, settings, _ => 4);
        sim.Demanding.UnionWith(["FR", "DE"]);
        Run(sim, TimeSpan.FromHours(48));
        var owed = (int)Math.Floor(sim.Entitlements["SE"] * sim.Capacity);
        var arrived = sim.Time.GetUtcNow();
        var longest = sim.Running.Where(r => r.Borrowed).Max(r => r.EndsBy);
        sim.Demanding.Add("SE");

        var steps = sim.ReclaimFor(owed);

        Assert.NotEmpty(steps);
        Assert.All(steps, s => Assert.False(s.Requeue, $"{s.Run.Holder} is interrupted under DrainAtWalltime"));
        Assert.All(steps, s => Assert.Equal(s.Run.EndsBy, s.ReturnBy));
        var bound = steps.Max(s => s.ReturnBy);
        Assert.True(bound <= longest, "the plan waits longer than the longest borrowed run");

        // The soonest-ending runs are taken: none left out ends before the last one taken.
        Assert.DoesNotContain(sim.Running, r => r.Borrowed && !steps.Any(s => s.Run.Holder == r.Holder) && r.EndsBy < bound);
        Run(sim, bound - arrived + s_tick);
        Assert.True(sim.HeldBy("SE") >= owed, $"SE holds {sim.HeldBy("SE")} accelerators by {bound:O} (+ one tick); owed {owed}");
    }

    private static void Run(FairShareSimulation sim, TimeSpan span)
    {
        for (var t = TimeSpan.Zero; t < span; t += s_tick)
        {
            sim.Step(s_tick);
        }
    }
}
