using Federation.Contracts.Jobs;
using Federation.Lifecycle.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Lifecycle.Tests.Jobs;

public sealed class JobLifecycleOfferTests
{
    [Fact]
    public void Submit_WithTheDecision_OffersTheFirstRankedWithoutPlanningAgain()
    {
        var job = new JobDriver();

        var step = job.Submit(JobDriver.Decision(JobDriver.Fr, JobDriver.Se));

        Assert.Equal([JobState.Submitted, JobState.Offered], step.Decision.Events.Select(e => e.State));
        Assert.Equal([1L, 2L], step.Decision.Events.Select(e => e.Sequence));
        Assert.Equal((1, JobDriver.Fr), (job.Record.Epoch, job.Record.Nation));
        Assert.Equal(0, job.State.PlanAttempt);
        var offer = Assert.Single(step.Decision.Send);
        Assert.Equal(1, ((OfferMessage)offer.Message).Offer.Epoch);
    }

    [Fact]
    public void Submit_WithoutADecision_AsksForAPlan()
    {
        var job = new JobDriver();

        job.Submit(null);

        Assert.Equal((JobState.Submitted, 1), (job.Record.State, job.State.PlanAttempt));
        Assert.Equal(JobRules.StalePlan, job.Apply(new PlanCompleted(7, JobDriver.Decision(JobDriver.Fr), null)).Decision.Rejected!.Rule);
        job.Apply(new PlanCompleted(1, JobDriver.Decision(JobDriver.Fr), null));
        Assert.Equal(JobState.Offered, job.Record.State);
    }

    [Fact]
    public void Submit_AgainWithAnotherSpec_RefusedAsConflict()
    {
        var job = new JobDriver();
        job.Submit(JobDriver.Decision(JobDriver.Fr));

        var same = job.Submit(JobDriver.Decision(JobDriver.Fr));
        var other = job.Apply(new SubmitJob(JobDriver.Spec with { Priority = 5 }, null));

        Assert.True(same.Decision.Accepted);
        Assert.Empty(same.Decision.Events);
        Assert.Equal(JobRules.SpecConflict, other.Decision.Rejected!.Rule);
    }

    [Fact]
    public void Refusal_TriesTheNextCandidateWithTheNextEpoch()
    {
        var job = new JobDriver();
        job.Submit(JobDriver.Decision(JobDriver.Fr, JobDriver.Se));

        job.Answer(job.Offer(), admitted: false, "no capacity");

        Assert.Equal((JobState.Offered, 2, JobDriver.Se), (job.Record.State, job.Record.Epoch, job.Record.Nation));
        Assert.Equal([JobDriver.Fr], job.State.RefusedUnderDecision);
        job.Admit();
        Assert.Equal(JobState.Admitted, job.Record.State);
    }

    [Fact]
    public void Refusal_ByEveryCandidate_PendingThenPlannedAgainAfterTheInterval()
    {
        var job = new JobDriver();
        job.Submit(JobDriver.Decision(JobDriver.Fr, JobDriver.Se));
        job.Answer(job.Offer(), admitted: false, "no capacity");
        job.Answer(job.Offer(), admitted: false, "quota");

        Assert.Equal((JobState.Planned, (Contracts.Ids.NationCode?)null), (job.Record.State, job.Record.Nation));
        Assert.Equal("pending: every feasible nation refused (FR: no capacity; SE: quota)", job.Record.StateReason);
        job.Tick(job.Settings.ReplanInterval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, job.State.PlanAttempt);
        job.Tick(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, job.State.PlanAttempt);

        job.Apply(new PlanCompleted(1, JobDriver.Decision(JobDriver.Se), null));
        Assert.Equal((JobState.Offered, 3, JobDriver.Se), (job.Record.State, job.Record.Epoch, job.Record.Nation));
    }

    [Fact]
    public void Replan_WithTheSameOutcome_RecordsNoNewEvent()
    {
        var job = new JobDriver();
        job.Submit(JobDriver.Decision());
        var events = job.State.Events.Count;

        job.Tick(job.Settings.ReplanInterval);
        var again = job.Apply(new PlanCompleted(1, JobDriver.Decision(), null));

        Assert.Empty(again.Decision.Events);
        Assert.Equal(events, job.State.Events.Count);
        Assert.Equal("pending: no nation can run it", job.Record.StateReason);
    }

    [Fact]
    public void Plan_AnswerLost_RequestedAgainAfterThePlanTimeout()
    {
        var job = new JobDriver();
        job.Submit(null);

        job.Tick(job.Settings.PlanTimeout);
        Assert.Equal(1, job.State.PlanAttempt);
        job.Tick(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, job.State.PlanAttempt);
    }

    [Fact]
    public void Offer_Undeliverable_FencedThereAndTheNextTried()
    {
        var job = new JobDriver();
        job.Submit(JobDriver.Decision(JobDriver.Fr, JobDriver.Se));
        var offer = job.Offer();

        job.Apply(new MessageDelivered(offer.Id, Delivery.Failed("timeout"), job.Settings.OfferAttempts - 1));
        Assert.Equal(JobDriver.Fr, job.Record.Nation);

        job.Apply(new MessageDelivered(offer.Id, Delivery.Failed("timeout"), job.Settings.OfferAttempts));

        var fence = Assert.Single(job.Cancellations());
        Assert.Equal((JobDriver.Fr, 1, true), (job.State.Outbox.Single(m => m.Message is CancellationMessage).To, fence.Epoch, fence.Cancellation.Fenced));
        Assert.DoesNotContain(job.State.Outbox, m => m.Id == offer.Id);
        Assert.Equal((JobState.Offered, 2, JobDriver.Se), (job.Record.State, job.Record.Epoch, job.Record.Nation));
        Assert.Contains(job.Record.Admissions, a => a.Nation == JobDriver.Fr && !a.Admitted && a.Reason.StartsWith("not reachable after 3 attempts", StringComparison.Ordinal));
    }

    [Fact]
    public void Delivery_OfAnUnknownMessage_RefusedAndChangesNothing()
    {
        var job = new JobDriver();
        job.Submit(JobDriver.Decision(JobDriver.Fr));
        var before = job.State;

        var step = job.Apply(new MessageDelivered(Guid.NewGuid(), new Delivery { Delivered = true }, 0));

        Assert.Equal(JobRules.UnknownMessage, step.Decision.Rejected!.Rule);
        Assert.Same(before, job.State);
    }

    [Fact]
    public void Outbox_RequestIds_AreTheSameOnReplayAndDistinctPerMessage()
    {
        var first = new JobDriver();
        var second = new JobDriver();
        first.Submit(JobDriver.Decision(JobDriver.Fr, JobDriver.Se));
        second.Submit(JobDriver.Decision(JobDriver.Fr, JobDriver.Se));
        first.Answer(first.Offer(), admitted: false);

        Assert.Equal(first.Steps[0].State.Outbox.Select(m => m.Id), second.State.Outbox.Select(m => m.Id));
        Assert.NotEqual(first.Steps[0].State.Outbox[0].Id, first.State.Outbox[^1].Id);
    }
}
