using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Jobs;
using Federation.Learning.Protocol;
using Federation.Learning.Run;
using static Federation.Unit.Tests.Learning.Run.RunSimulation;

namespace Federation.Unit.Tests.Learning.Run;

public sealed class FederatedRunRefusalTests
{
    [Fact]
    public void Coordinator_MessageFromANationNotInTheRound_RefusedNotInRound()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait);
        sim.Start();

        var verdict = sim.Inject(N("PL"), sim.Aggregator, new ParticipantReady(Job, N("PL")));

        Assert.Equal(RefusalReason.NotInRound, verdict.Reason);
        Assert.Contains("PL is not a contributor", verdict.Detail, StringComparison.Ordinal);
        Assert.Empty(sim.Coordinator.Received);
    }

    [Fact]
    public void Coordinator_ReplayedMaskedInputOfAnEarlierRound_RefusedWrongRound()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait, rounds: 3);
        MaskedInput? first = null;
        sim.BeforeDelivery = e => first ??= e.Body as MaskedInput;
        sim.Start();
        sim.Run(until: () => sim.Coordinator.Round == 2);
        var held = sim.Coordinator.Received.Count;

        var verdict = sim.Inject(first!.From, sim.Aggregator, first);

        Assert.Equal(RefusalReason.WrongRound, verdict.Reason);
        Assert.Equal(held, sim.Coordinator.Received.Count);
    }

    [Fact]
    public void Coordinator_AdvertWithAlteredSignature_RefusedBadSignature()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait);
        KeyAdvert? advert = null;
        sim.BeforeDelivery = e => advert ??= e.Body as KeyAdvert;
        sim.Start();
        sim.DeliverAll();
        using var fresh = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait);
        fresh.Start();
        var signature = advert!.Signature.ToArray();
        signature[^1] ^= 1;

        var verdict = fresh.Inject(advert.Participant, fresh.Aggregator, advert with { Signature = [.. signature] });

        Assert.Equal(RefusalReason.BadSignature, verdict.Reason);
        Assert.Empty(fresh.Coordinator.Received);
    }

    [Fact]
    public void Coordinator_MetricsOutOfBounds_RefusedMalformedNamingTheFields()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait);
        sim.Start();

        var verdict = sim.Inject(N("DE"), sim.Aggregator, new RoundMetrics(sim.Coordinator.Session, N("DE"), double.NaN, 2, 0));

        Assert.Equal(RefusalReason.Malformed, verdict.Reason);
        Assert.Contains("validationLoss", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Coordinator_MetricsClaimingAnotherSender_RefusedSenderMismatch()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait);
        sim.Start();

        var verdict = sim.Inject(N("DE"), sim.Aggregator, new RoundMetrics(sim.Coordinator.Session, N("FR"), 0.5, 0.5, 10));

        Assert.Equal(RefusalReason.SenderMismatch, verdict.Reason);
    }

    [Theory]
    [InlineData(ExportPolicy.None)]
    [InlineData(ExportPolicy.Metrics)]
    public void Participant_DatasetExportsNoUpdates_RefusesTheRoundAndSendsNothing(ExportPolicy exports)
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Stop);
        sim.Exports[N("DE")] = exports;
        sim.Participants[N("DE")].Dispose();
        sim.Restart(N("DE"));
        var start = new RoundStart(sim.Terms.Session(1, 0), 1, 0, [.. new double[ModelLength]], sim.Terms.ContributorList, sim.Terms.Threshold);

        var verdict = sim.Participants[N("DE")].Receive(sim.Aggregator, start);

        Assert.False(verdict.Verdict.Accepted);
        Assert.Equal(RefusalReason.Unsafe, verdict.Verdict.Reason);
        Assert.Contains($"exports '{exports}'", verdict.Verdict.Detail, StringComparison.Ordinal);
        Assert.Empty(verdict.Send);
        Assert.Null(verdict.Train);
    }

    [Fact]
    public void Participant_RoundMessageFromANationOtherThanTheAggregator_Refused()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait);
        var start = new RoundStart(sim.Terms.Session(1, 0), 1, 0, [.. new double[ModelLength]], sim.Terms.ContributorList, sim.Terms.Threshold);

        var step = sim.Participants[N("DE")].Receive(N("FR"), start);

        Assert.Equal(RefusalReason.NotInRound, step.Verdict.Reason);
        Assert.Empty(step.Send);
    }

    [Fact]
    public void Participant_MessageForASessionItHoldsNoKeysFor_RefusedAndReportsReady()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait);

        var step = sim.Participants[N("DE")].Receive(sim.Aggregator, new RelayedAdverts(sim.Terms.Session(1, 0), ImmutableArray<KeyAdvert>.Empty));

        Assert.Equal(RefusalReason.WrongRound, step.Verdict.Reason);
        Assert.IsType<ParticipantReady>(Assert.Single(step.Send).Body);
    }

    [Fact]
    public void Participant_StaleRoundStart_RefusedWrongRound()
    {
        using var sim = new RunSimulation(["DE", "FR", "SE"], "SE", RoundFailurePolicy.Wait);
        var participant = sim.Participants[N("DE")];
        RoundStart Start(int round) => new(sim.Terms.Session(round, 0), round, 0, [.. new double[ModelLength]], sim.Terms.ContributorList, sim.Terms.Threshold);
        Assert.True(participant.Receive(sim.Aggregator, Start(2)).Verdict.Accepted);

        var step = participant.Receive(sim.Aggregator, Start(1));

        Assert.Equal(RefusalReason.WrongRound, step.Verdict.Reason);
    }
}
