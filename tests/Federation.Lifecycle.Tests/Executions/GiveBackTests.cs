using Federation.Contracts.Jobs;
using Federation.Lifecycle.Executions;
using Federation.Lifecycle.Jobs;
using Federation.Lifecycle.Tests.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Lifecycle.Tests.Executions;

/// <summary>
/// The operator's give-back of a draining nation, on both sides: the execution stops and reports the
/// epoch requeued once; the origin plans the job again with a higher epoch, counts no failure, and
/// fences whatever the given-back epoch still says.
/// </summary>
public sealed class GiveBackTests
{
    [Fact]
    public void GiveBack_Running_StopsReleasesAndReportsRequeuedOnce()
    {
        var driver = new ExecutionDriver();
        driver.Running();

        driver.Apply(new GiveBackRequested("SE drains for maintenance"));

        Assert.Contains(driver.Effects, e => e is StopRun { Run.Handle: "4242" });
        Assert.Single(driver.Effects.OfType<ReleaseNodes>());
        var report = Assert.Single(driver.Reports, r => r.State == JobState.Requeued);
        Assert.Equal((ExecutionDriver.Job, 1), (report.Job, report.Epoch));
        Assert.Equal("given back: SE drains for maintenance", report.Message);
        Assert.Equal("give-back", driver.Sent.Last().Kind);
        Assert.False(driver.State.Live);
    }

    [Fact]
    public void GiveBack_Twice_SecondIsRejectedAndSendsNothing()
    {
        var driver = new ExecutionDriver();
        driver.Running();
        driver.Apply(new GiveBackRequested("drain"));
        var sent = driver.Sent.Count;

        var again = driver.Apply(new GiveBackRequested("drain"));

        Assert.Equal(ExecutionLifecycle.NothingToGiveBack, again.Rejected!.Rule);
        Assert.Contains("cannot be given back: it is requeued", again.Rejected.Message, StringComparison.Ordinal);
        Assert.Equal(sent, driver.Sent.Count);
    }

    [Fact]
    public void GiveBack_NeverOffered_RejectedAsNothingToGiveBack()
    {
        var driver = new ExecutionDriver();

        var step = driver.Apply(new GiveBackRequested("drain"));

        Assert.Equal(ExecutionLifecycle.NothingToGiveBack, step.Rejected!.Rule);
        Assert.Contains("never admitted", step.Rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GiveBack_AfterAFence_RejectedAndStillReportsNothing()
    {
        var driver = new ExecutionDriver();
        driver.Running();
        driver.Cancel(fenced: true);
        var reports = driver.Reports.Count();

        var step = driver.Apply(new GiveBackRequested("drain"));

        Assert.Equal(ExecutionLifecycle.NothingToGiveBack, step.Rejected!.Rule);
        Assert.Equal(reports, driver.Reports.Count());
    }

    [Fact]
    public void GiveBack_AdmittedNotYetPlaced_ReportsRequeuedWithoutStoppingARun()
    {
        var driver = new ExecutionDriver();
        driver.Offer();

        driver.Apply(new GiveBackRequested("drain"));

        Assert.DoesNotContain(driver.Effects, e => e is StopRun);
        Assert.Equal(JobState.Requeued, Assert.Single(driver.Reports, r => r.State == JobState.Requeued).State);
    }

    [Fact]
    public void Origin_GivenBack_PlansAgainWithAHigherEpochAndCountsNoFailure()
    {
        var job = new JobDriver();
        job.Submit(JobDriver.Decision(JobDriver.Se, JobDriver.Fr));
        job.Admit();
        job.Report(JobDriver.Se, 1, 1, JobState.Running);

        var step = job.Report(JobDriver.Se, 1, 2, JobState.Requeued, "given back: SE drains");

        Assert.Equal((true, false), (step.ReportAnswer!.Accepted, step.ReportAnswer.Fenced));
        Assert.Equal(JobState.Requeued, job.Record.State);
        Assert.Null(job.Record.Nation);
        Assert.Null(job.Record.FinishedAt);

        // Planned again: the next offer carries epoch 2, to the nation the new decision ranks first.
        job.Apply(new PlanCompleted(job.State.PlanAttempt, JobDriver.Decision(JobDriver.Fr), null));
        var offer = (OfferMessage)job.Offer().Message;
        Assert.Equal((2, JobDriver.Fr), (offer.Epoch, job.Offer().To));

        // Whatever epoch 1 in SE still says is stale: it can finish nothing twice.
        var late = job.Report(JobDriver.Se, 1, 3, JobState.Succeeded, "exit 0");
        Assert.Equal(JobRules.StaleEpoch, late.Decision.Rejected!.Rule);
        Assert.True(late.ReportAnswer!.Fenced);
        Assert.Equal(LeaseVerdict.Fenced, job.Renew(JobDriver.Se, 1).LeaseAnswer!.Verdict);
    }
}
