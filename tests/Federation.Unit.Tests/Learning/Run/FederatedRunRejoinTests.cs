using Federation.Contracts.Jobs;
using Federation.Learning.Run;
using static Federation.Unit.Tests.Learning.Run.RunSimulation;

namespace Federation.Unit.Tests.Learning.Run;

/// <summary>
/// A contributor that restarts without its state (a nation in memory) answers "no run": the coordinator counts it
/// as a dropout of the round and invites it again; a round that waits invites the nations it waits for, so that
/// one that returns rejoins and the round restarts with fresh keys.
/// </summary>
public sealed class FederatedRunRejoinTests
{
    [Fact]
    public void Run_FourNations_ContributorBackWithoutItsRun_IsADropoutOfTheRoundAndInvitedAgain()
    {
        using var sim = new RunSimulation(["DE", "FR", "NL", "SE"], "SE", RoundFailurePolicy.Wait, rounds: 4);
        sim.BeforeDelivery = e =>
        {
            if (e.Body is RelayedShares shares && shares.Session == sim.Terms.Session(2, 0) && e.To == N("DE"))
            {
                sim.Kill(N("DE"));
            }

            if (e.Body is RoundStart { Round: 3 } && e.To == N("DE"))
            {
                sim.RestartWithoutState(N("DE"));
            }
        };
        sim.Start();
        sim.Run();

        Assert.Equal(RunPhase.Succeeded, sim.Coordinator.Phase);
        Assert.Equal([N("DE")], sim.Rejoins);
        var round2 = Assert.Single(sim.Coordinator.History, r => r.Round == 2);
        Assert.Equal("completed", round2.Outcome);
        Assert.Equal([N("DE")], round2.Dropped);
        var round3 = Assert.Single(sim.Coordinator.History, r => r.Round == 3);
        Assert.Equal("completed", round3.Outcome);
        Assert.DoesNotContain(N("DE"), round3.Contributors);
        Assert.Contains(N("DE"), Assert.Single(sim.Coordinator.History, r => r.Round == 4).Contributors);
    }

    [Fact]
    public void Run_ThreeNations_RoundWaitsNamingTheMissingNation_AndInvitesItUntilItReturnsWithoutItsRun()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait, rounds: 3);
        sim.BeforeDelivery = e =>
        {
            if (e.Body is RelayedShares shares && shares.Session == sim.Terms.Session(2, 0) && e.To == N("DE"))
            {
                sim.Kill(N("DE"));
            }
        };
        sim.Start();
        sim.Run(maxTimeouts: 4);

        Assert.Equal((RunPhase.Waiting, 2), (sim.Coordinator.Phase, sim.Coordinator.Round));
        Assert.EndsWith("Waiting for DE to return.", sim.Coordinator.Reason, StringComparison.Ordinal);
        Assert.True(sim.Rejoins.Count >= 2 && sim.Rejoins.All(n => n == N("DE")), $"DE should be invited again while the round waits: {string.Join(", ", sim.Rejoins)}");

        sim.BeforeDelivery = null;
        sim.RestartWithoutState(N("DE"));
        sim.Run();

        Assert.Equal(RunPhase.Succeeded, sim.Coordinator.Phase);
        var retried = Assert.Single(sim.Coordinator.History, r => r.Round == 2 && r.Outcome == "completed");
        Assert.Equal((1, 3), (retried.Attempt, retried.Contributors.Length));
    }

    [Fact]
    public void Forgot_TheAggregatorAStrangerOrTwiceInAnAttempt_AsksNothing()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait, rounds: 2);
        Assert.Empty(sim.Coordinator.Forgot(N("DE")));
        sim.Start();

        Assert.Empty(sim.Coordinator.Forgot(N("SE")));
        Assert.Empty(sim.Coordinator.Forgot(N("NO")));
        var again = Assert.Single(sim.Coordinator.Forgot(N("DE")));
        Assert.Equal((N("SE"), N("DE")), (again.From, again.To));
        Assert.Equal(new RunRejoin(Job, N("DE")), again.Body);
        Assert.Empty(sim.Coordinator.Forgot(N("DE")));
    }
}
