using System.Security.Cryptography;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Learning.Run;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Unit.Tests.Learning.Run;

/// <summary>A coordinator re-made after its grain lost the round keys resumes the round with the next attempt and fresh keys.</summary>
public sealed class FederatedRunResumeTests
{
    private static readonly string[] s_nations = ["DE", "SE", "NO"];

    [Fact]
    public void Resume_AfterLostKeys_OpensTheSameRoundWithTheNextAttempt()
    {
        var keys = s_nations.ToDictionary(TypedId.Parse<NationCode>, _ => ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var terms = new RunTerms(TypedId.Parse<JobRef>("FR/fed-resume"), TypedId.Parse<NationCode>("FR"), keys, 4, null, RoundFailurePolicy.Wait,
            TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(2), 3, RunSimulation.Rule, RunSimulation.Quantisation);
        var earlier = new RoundRecord(1, 0, "completed", [.. keys.Keys], [], 0.5, 0.8, null, null, DateTimeOffset.UnixEpoch);
        var coordinator = new FederatedRunCoordinator(terms, [0.1, 0.2, 0.3], new FakeTimeProvider());

        var send = coordinator.Resume(2, 0, [earlier]);

        Assert.Equal((2, 1, RunPhase.Running), (coordinator.Round, coordinator.Attempt, coordinator.Phase));
        Assert.Equal(3, send.Length);
        Assert.All(send, e => Assert.True(e.Body is RoundStart { Round: 2, Attempt: 1 } s && s.GlobalWeights.SequenceEqual([0.1, 0.2, 0.3]), e.Body.ToString()));
        Assert.Equal(["completed", "retried"], coordinator.History.Select(r => r.Outcome));
        Assert.Equal(0.5, coordinator.ValidationLoss);
        Assert.Throws<InvalidOperationException>(() => coordinator.Resume(2, 1, []));
        foreach (var key in keys.Values)
        {
            key.Dispose();
        }
    }
}
