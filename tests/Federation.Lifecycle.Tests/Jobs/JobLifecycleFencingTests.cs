using Federation.Contracts.Jobs;
using Federation.Lifecycle.Jobs;

namespace Federation.Lifecycle.Tests.Jobs;

public sealed class JobLifecycleFencingTests
{
    private static JobDriver RunningInSeAtEpoch2()
    {
        var job = new JobDriver();
        job.Submit(JobDriver.Decision(JobDriver.Fr, JobDriver.Se));
        job.Admit();
        job.Tick(job.Settings.Lease + job.Settings.Grace);
        job.Apply(new PlanCompleted(1, JobDriver.Decision(JobDriver.Se), null));
        job.Admit();
        job.Report(JobDriver.Se, 2, 1, JobState.Running);
        return job;
    }

    [Fact]
    public void Report_OfAStaleEpoch_FencedAndChangesNothing()
    {
        var job = RunningInSeAtEpoch2();
        var before = job.State;

        var step = job.Report(JobDriver.Fr, 1, 5, JobState.Succeeded, "done");

        Assert.Equal(JobRules.StaleEpoch, step.Decision.Rejected!.Rule);
        Assert.Equal((false, true), (step.ReportAnswer!.Accepted, step.ReportAnswer.Fenced));
        Assert.StartsWith("stale-epoch:", step.ReportAnswer.Reason, StringComparison.Ordinal);
        Assert.Same(before, job.State);
        Assert.Empty(step.Decision.Events);
    }

    [Fact]
    public void Renewal_OfAStaleEpoch_FencedAndChangesNothing()
    {
        var job = RunningInSeAtEpoch2();
        var before = job.State;

        var step = job.Renew(JobDriver.Fr, 1);

        Assert.Equal(LeaseVerdict.Fenced, step.LeaseAnswer!.Verdict);
        Assert.StartsWith("stale-epoch:", step.LeaseAnswer.Reason, StringComparison.Ordinal);
        Assert.Same(before, job.State);
    }

    [Fact]
    public void Report_FromAnotherNationThanTheHolder_RefusedAsWrongSender()
    {
        var job = RunningInSeAtEpoch2();

        var step = job.Report(JobDriver.Fr, 2, 9, JobState.Succeeded);

        Assert.Equal(JobRules.WrongSender, step.Decision.Rejected!.Rule);
        Assert.True(step.ReportAnswer!.Fenced);
        Assert.Equal(JobState.Running, job.Record.State);
    }

    [Fact]
    public void Report_ForAJobNeverSubmitted_RefusedAsUnknown()
    {
        var job = new JobDriver();

        var report = job.Report(JobDriver.Fr, 1, 1, JobState.Running);
        var renewal = job.Renew(JobDriver.Fr, 1);

        Assert.Equal(JobRules.UnknownJob, report.Decision.Rejected!.Rule);
        Assert.Equal(LeaseVerdict.Fenced, renewal.LeaseAnswer!.Verdict);
        Assert.Null(job.State.Record);
    }

    [Fact]
    public void Report_Repeated_AcknowledgedOnceRecordedOnce()
    {
        var job = RunningInSeAtEpoch2();
        var repeated = job.Report(JobDriver.Se, 2, 1, JobState.Running);
        Assert.Equal(new ReportAnswer(true, false, "already recorded"), repeated.ReportAnswer);
        var done = job.Report(JobDriver.Se, 2, 2, JobState.Succeeded, "exit 0");
        var again = job.Report(JobDriver.Se, 2, 2, JobState.Succeeded, "exit 0");
        var later = job.Report(JobDriver.Se, 2, 3, JobState.Failed, "exit 1");

        Assert.Single(done.Decision.Events);
        Assert.Equal((true, false), (again.ReportAnswer!.Accepted, again.ReportAnswer.Fenced));
        Assert.Empty(again.Decision.Events);
        Assert.Empty(later.Decision.Events);
        Assert.Equal(JobState.Succeeded, job.Record.State);
    }

    [Fact]
    public void Report_PuttingTheJobBackToOffered_RefusedAsImpossible()
    {
        var job = RunningInSeAtEpoch2();

        var step = job.Report(JobDriver.Se, 2, 2, JobState.Offered);

        Assert.Equal(JobRules.ImpossibleTransition, step.Decision.Rejected!.Rule);
        Assert.False(step.ReportAnswer!.Accepted);
        Assert.Equal(JobState.Running, job.Record.State);
    }

    [Fact]
    public void Cancel_RacingAnAdmission_AdmissionFencedJobStaysCancelled()
    {
        var job = new JobDriver();
        job.Submit(JobDriver.Decision(JobDriver.Fr));
        var offer = job.Offer();

        var cancel = job.Apply(new CancelRequested("not needed"));
        var cancellation = Assert.Single(cancel.Decision.Send);
        var sent = ((Protocol.Messages.CancellationMessage)cancellation.Message).Cancellation;
        var answer = job.Answer(offer, admitted: true);

        // The offer was taken back from the outbox (never re-sent after the cancel); the admission that
        // raced the cancel changes nothing, and the cancellation of that very epoch stops it in FR.
        Assert.Equal(JobDriver.Fr, cancellation.To);
        Assert.Equal((offer.Message.Epoch, false), (sent.Epoch, sent.Fenced));
        Assert.DoesNotContain(job.State.Outbox, m => m.Message is Protocol.Messages.OfferMessage);
        Assert.Equal(JobState.Cancelled, job.Record.State);
        Assert.Empty(answer.Decision.Events);
    }

    [Fact]
    public void Cancel_RunningReportAfterTheCancel_AnsweredFencedSoTheRunStops()
    {
        var job = RunningInSeAtEpoch2();
        job.Apply(new CancelRequested("stop"));

        var running = job.Report(JobDriver.Se, 2, 3, JobState.Running, "still going");
        var final = job.Report(JobDriver.Se, 2, 4, JobState.Cancelled, "stopped");

        Assert.True(running.ReportAnswer!.Fenced, "a run of a cancelled job must be told to stop");
        Assert.False(final.ReportAnswer!.Fenced);
        Assert.True(final.ReportAnswer.Accepted);
        Assert.Equal(JobState.Cancelled, job.Record.State);
    }

    [Fact]
    public void Cancel_RacingAResult_TheResultIsNotRecorded()
    {
        var job = RunningInSeAtEpoch2();
        job.Apply(new CancelRequested("stop"));

        var late = job.Report(JobDriver.Se, 2, 2, JobState.Succeeded, "exit 0");
        var renewal = job.Renew(JobDriver.Se, 2);

        Assert.Equal(JobState.Cancelled, job.Record.State);
        Assert.Empty(late.Decision.Events);
        Assert.Equal(LeaseVerdict.Cancel, renewal.LeaseAnswer!.Verdict);
        Assert.Null(job.Record.Result);
    }

    [Fact]
    public void Cancel_AfterTheResult_RefusedNamingTheState()
    {
        var job = RunningInSeAtEpoch2();
        job.Report(JobDriver.Se, 2, 2, JobState.Succeeded, "exit 0");

        var cancel = job.Apply(new CancelRequested("too late"));

        Assert.Equal(JobRules.ImpossibleTransition, cancel.Decision.Rejected!.Rule);
        Assert.Contains("succeeded", cancel.Decision.Rejected.Message, StringComparison.Ordinal);
    }
}
