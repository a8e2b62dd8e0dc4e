using System.Text.Json;
using Federation.Contracts.Jobs;
using Federation.Learning.Protocol;
using Federation.Learning.Run;
using Federation.Protocol.Rounds;
using static Federation.Unit.Tests.Learning.Run.RunSimulation;

namespace Federation.Unit.Tests.Learning.Run;

/// <summary>When a run ends (succeeds or stops) the coordinator tells every contributor, whose part then ends: no keys, no more round messages.</summary>
public sealed class FederatedRunEndTests
{
    [Fact]
    public void Run_Succeeds_EveryContributorIsToldAndItsPartEnds()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait, rounds: 2);
        var notices = new List<RunEnvelope>();
        sim.BeforeDelivery = e =>
        {
            if (e.Body is RunEnded)
            {
                notices.Add(e);
            }
        };
        sim.Start();
        sim.Run();

        Assert.Equal(RunPhase.Succeeded, sim.Coordinator.Phase);
        Assert.Equal(["DE", "FR", "SE"], notices.Select(n => n.To.Value));
        Assert.All(notices, n => Assert.Equal(new RunEnded(Job, N("SE"), RunEnded.Succeeded), n.Body));
        Assert.All(sim.Participants.Values, p => Assert.True(p.Ended && p.Session is null, "a contributor should end its part and hold no session"));
        Assert.Empty(sim.Refusals);

        // Its part is over: a round message now is refused, and it trains no more.
        var late = sim.Participants[N("DE")].Receive(N("SE"), new RoundStart(sim.Terms.Session(3, 0), 3, 0, [.. new double[ModelLength]], [N("DE"), N("FR"), N("SE")], 2));
        Assert.Equal(RefusalReason.WrongStage, late.Verdict.Reason);
        Assert.Null(late.Train);
    }

    [Fact]
    public void Run_StoppedByItsRoundPolicy_EveryLiveContributorIsToldItStopped()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Stop, rounds: 3);
        var notices = new List<RunEnvelope>();
        sim.BeforeDelivery = e =>
        {
            if (e.Body is RoundStart { Round: 2 } && e.To == N("DE"))
            {
                sim.Kill(N("DE"));
            }

            if (e.Body is RunEnded)
            {
                notices.Add(e);
            }
        };
        sim.Start();
        sim.Run();

        Assert.Equal(RunPhase.Stopped, sim.Coordinator.Phase);
        Assert.All(notices, n => Assert.Equal(RunEnded.Stopped, ((RunEnded)n.Body).Outcome));
        Assert.Equal(["DE", "FR", "SE"], notices.Select(n => n.To.Value));
        Assert.True(sim.Participants[N("FR")].Ended && sim.Participants[N("SE")].Ended, "the live contributors should end their part");
    }

    [Fact]
    public void RunEnded_FromAnotherNationOrForAnotherJob_IsRefused()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait, rounds: 2);
        var de = sim.Participants[N("DE")];

        Assert.Equal(RefusalReason.NotInRound, de.Receive(N("FR"), new RunEnded(Job, N("FR"), RunEnded.Stopped)).Verdict.Reason);
        Assert.Equal(RefusalReason.WrongJob, de.Receive(N("SE"), new RunEnded(Federation.Contracts.Ids.TypedId.Parse<Federation.Contracts.Ids.JobRef>("FR/other"), N("SE"), RunEnded.Stopped)).Verdict.Reason);
        Assert.False(de.Ended);
    }

    [Theory]
    [InlineData("""{"v":1,"kind":"runEnded","job":"FR/j","round":0,"attempt":0,"from":"SE","outcome":"paused"}""", "outcome: must be succeeded or stopped.")]
    [InlineData("""{"v":1,"kind":"runEnded","job":"FR/j","round":0,"attempt":0,"from":"SE"}""", "outcome: must be succeeded or stopped.")]
    [InlineData("""{"v":1,"kind":"runEnded","job":"FR/j","round":2,"attempt":0,"from":"SE","outcome":"stopped"}""", "round: must be 0 with attempt 0 in a runEnded message.")]
    [InlineData("""{"v":1,"kind":"runEnded","job":"FR/j","round":0,"attempt":0,"from":"SE","outcome":"stopped","threshold":2}""", "threshold: is not allowed in a runEnded message.")]
    public void Read_BadRunEnded_IsRefusedNamingTheField(string json, string expected)
    {
        var e = Assert.Throws<RoundMessageRefusedException>(() => RoundMessageCodec.Read(N("SE"), JsonSerializer.Deserialize<RoundMessageDocument>(json, JsonSerializerOptions.Web)));
        Assert.Equal((RefusalReason.Malformed, expected), (e.Reason, e.Message));
    }

    [Fact]
    public void Write_ThenRead_RunEnded_RoundTrips()
    {
        var ended = new RunEnded(Job, N("SE"), RunEnded.Succeeded);
        var json = JsonSerializer.Serialize(RoundMessageCodec.Write(N("SE"), ended), JsonSerializerOptions.Web);

        Assert.Equal(ended, RoundMessageCodec.Read(N("SE"), JsonSerializer.Deserialize<RoundMessageDocument>(json, JsonSerializerOptions.Web)));
        Assert.Equal((RoundTransfers.Control, "run ended: succeeded"), RoundTransfers.Describe(ended));
    }
}
