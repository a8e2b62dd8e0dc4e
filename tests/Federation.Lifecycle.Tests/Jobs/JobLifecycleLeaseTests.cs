using Federation.Contracts.Jobs;
using Federation.Lifecycle.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Lifecycle.Tests.Jobs;

public sealed class JobLifecycleLeaseTests
{
    private static readonly TimeSpan s_ms = TimeSpan.FromMilliseconds(1);

    private static JobDriver Running(JobLifecycleSettings? settings = null)
    {
        var job = new JobDriver(settings);
        job.Submit(JobDriver.Decision(JobDriver.Fr, JobDriver.Se));
        job.Admit();
        job.Report(JobDriver.Fr, 1, 1, JobState.Running, "running");
        return job;
    }

    [Fact]
    public void Lease_SilentForLeasePlusGrace_RequeuedExactlyThenWithTheNextEpoch()
    {
        var job = Running();
        var limit = job.Settings.Lease + job.Settings.Grace;

        job.Tick(limit - s_ms);
        Assert.Equal(JobState.Running, job.Record.State);

        var lost = job.Tick(s_ms);
        Assert.Equal(JobState.Requeued, job.Record.State);
        Assert.Null(job.Record.Nation);
        Assert.Contains("lease of FR on epoch 1 expired", job.Record.StateReason, StringComparison.Ordinal);
        var fence = Assert.Single(job.Cancellations());
        Assert.Equal((1, true), (fence.Epoch, fence.Cancellation.Fenced));
        Assert.Equal(JobDriver.Fr, Assert.Single(lost.Decision.Send).To);
        Assert.Equal(1, job.State.PlanAttempt);

        job.Apply(new PlanCompleted(1, JobDriver.Decision(JobDriver.Se), null));
        Assert.Equal((JobState.Offered, 2, JobDriver.Se), (job.Record.State, job.Record.Epoch, job.Record.Nation));
    }

    [Fact]
    public void Lease_RenewedBeforeItRunsOut_StaysAlive()
    {
        var job = Running();
        for (var i = 0; i < 10; i++)
        {
            job.Time.Advance(job.Settings.Lease - s_ms);
            Assert.Equal(LeaseVerdict.Continue, job.Renew(JobDriver.Fr, 1).LeaseAnswer!.Verdict);
            job.Tick(TimeSpan.Zero);
        }

        Assert.Equal(JobState.Running, job.Record.State);
        Assert.Empty(job.Cancellations());
    }

    [Fact]
    public void Report_TheSameNewsAgain_RenewsTheLeaseWithoutAnEvent_NewsMakesOne()
    {
        var job = Running();
        var events = job.State.Events.Count;
        for (var i = 0; i < 10; i++)
        {
            job.Time.Advance(job.Settings.Lease - s_ms);
            var again = job.Report(JobDriver.Fr, 1, 2 + i, JobState.Running, "running");
            Assert.Equal((true, "recorded"), (again.ReportAnswer!.Accepted, again.ReportAnswer.Reason));
            Assert.Empty(again.Decision.Events);
            job.Tick(TimeSpan.Zero);
        }

        Assert.Equal((JobState.Running, events), (job.Record.State, job.State.Events.Count));
        Assert.Empty(job.Cancellations());

        var news = job.Report(JobDriver.Fr, 1, 20, JobState.Running, "running: round 2 of 8");
        Assert.Equal("FR: running: round 2 of 8", Assert.Single(news.Decision.Events).Message);
        Assert.Equal(20, job.State.LastReportSequence);
    }

    [Fact]
    public void Lease_LateForHalfTheLease_ProbedOnceWithTheSameEpoch()
    {
        var job = Running();

        job.Tick(job.Settings.Lease / 2 + s_ms);
        job.Tick(s_ms);

        var probe = Assert.Single(job.State.Outbox);
        Assert.Equal(probe.Id, job.State.ProbeId);
        Assert.Equal((JobDriver.Fr, 1), (probe.To, ((OfferMessage)probe.Message).Epoch));
        Assert.Equal(JobState.Running, job.Record.State);

        job.Apply(new MessageDelivered(probe.Id, Delivery.Failed("connection refused"), 1));
        Assert.Empty(job.State.Outbox);
        Assert.Null(job.State.ProbeId);
        Assert.Equal(JobState.Running, job.Record.State);
    }

    [Fact]
    public void Lease_LostWithRequeueOff_FailsTheJobAndSaysWhy()
    {
        var job = Running(new JobLifecycleSettings { RequeueOnLeaseLoss = false });

        var lost = job.Tick(job.Settings.Lease + job.Settings.Grace);

        Assert.Equal(JobState.Failed, job.Record.State);
        Assert.NotNull(job.Record.FinishedAt);
        Assert.Contains("not re-routed", Assert.Single(lost.Decision.Events).Message, StringComparison.Ordinal);
        Assert.True(Assert.Single(job.Cancellations()).Cancellation.Fenced);
        Assert.Equal(0, job.State.PlanAttempt);
        Assert.Empty(job.Tick(job.Settings.ReplanInterval * 10).Decision.Events);
    }

    [Fact]
    public void Lease_AfterARestart_CountsFromTheResume()
    {
        var job = Running();
        job.Time.Advance(job.Settings.Lease);
        job.Apply(new ClockResumed());

        job.Tick(job.Settings.Lease + job.Settings.Grace - s_ms);
        Assert.Equal(JobState.Running, job.Record.State);
        job.Tick(s_ms);
        Assert.Equal(JobState.Requeued, job.Record.State);
    }

    [Fact]
    public void GiveBack_RequeuedReport_PlansAgainWithTheNextEpoch()
    {
        var job = Running();

        var step = job.Report(JobDriver.Fr, 1, 2, JobState.Requeued, "cannot renew");

        Assert.Equal(new ReportAnswer(true, false, "recorded; the job will be planned again"), step.ReportAnswer);
        Assert.Equal(JobState.Requeued, job.Record.State);
        Assert.Null(job.Record.Nation);
        Assert.Equal(1, job.State.PlanAttempt);
        job.Apply(new PlanCompleted(1, JobDriver.Decision(JobDriver.Fr), null));
        Assert.Equal((JobState.Offered, 2, JobDriver.Fr), (job.Record.State, job.Record.Epoch, job.Record.Nation));
    }
}
