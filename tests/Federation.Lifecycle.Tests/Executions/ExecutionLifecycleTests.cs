using Federation.Contracts.Jobs;
using Federation.Lifecycle.Executions;
using Federation.Protocol.Messages;

namespace Federation.Lifecycle.Tests.Executions;

public sealed class ExecutionLifecycleTests
{
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void Renewal_Admitted_IsSentEveryRenewEveryAndNeverTwiceInFlight()
    {
        var driver = new ExecutionDriver();
        driver.Running();

        driver.TickFor(TimeSpan.FromSeconds(9.5), s_tick);
        Assert.Empty(driver.Sent.OfType<RenewalMessage>());

        driver.TickFor(TimeSpan.FromSeconds(1), s_tick);
        Assert.Single(driver.Sent.OfType<RenewalMessage>());

        // Unanswered, the renewal is not sent again.
        driver.TickFor(TimeSpan.FromSeconds(12), s_tick);
        Assert.Single(driver.Sent.OfType<RenewalMessage>());

        driver.Apply(new LeaseAnswered(true, new LeaseAnswer(LeaseVerdict.Continue, 30, "ok")));
        driver.Apply(new Tick());
        Assert.Equal(2, driver.Sent.OfType<RenewalMessage>().Count());
        Assert.All(driver.Sent.OfType<RenewalMessage>(), r => Assert.Equal((ExecutionDriver.Job, 1), (r.Job, r.Epoch)));
    }

    [Fact]
    public void LeaseLoss_NoAnswer_StopsAtLeaseMinusMarginAndGivesTheJobBack()
    {
        var driver = new ExecutionDriver();
        driver.Running();

        // Lease 30 s, margin 5 s: the run goes on up to 25 s of silence.
        driver.TickFor(TimeSpan.FromSeconds(25), s_tick);
        Assert.Equal(JobState.Running, driver.Record.State);
        Assert.DoesNotContain(driver.Effects, e => e is StopRun);

        driver.TickFor(s_tick, s_tick);

        Assert.Contains(driver.Effects, e => e is StopRun { Run.Handle: "4242" });
        Assert.Single(driver.Effects.OfType<ReleaseNodes>());
        var giveBack = driver.Reports.Last();
        Assert.Equal(JobState.Requeued, giveBack.State);
        Assert.Equal("give-back", driver.Sent.Last().Kind);
        Assert.Contains("lease could not be renewed", giveBack.Message, StringComparison.Ordinal);
        Assert.Same(ExecutionDriver.Result, giveBack.Result);
    }

    [Fact]
    public void LeaseAnswer_Continue_ResetsTheLeaseClock()
    {
        var driver = new ExecutionDriver();
        driver.Running();
        driver.TickFor(TimeSpan.FromSeconds(20), s_tick);
        driver.Apply(new LeaseAnswered(true, new LeaseAnswer(LeaseVerdict.Continue, 30, "ok")));

        driver.TickFor(TimeSpan.FromSeconds(20), s_tick);

        Assert.Equal(JobState.Running, driver.Record.State);
    }

    [Fact]
    public void Fence_FromOrigin_StopsForGoodReleasesAndReportsNothing()
    {
        var driver = new ExecutionDriver();
        driver.Running();
        var reports = driver.Reports.Count();

        driver.Cancel(fenced: true);

        Assert.Contains(driver.Effects, e => e is DropOutbox);
        Assert.Contains(driver.Effects, e => e is StopRun);
        Assert.Single(driver.Effects.OfType<ReleaseNodes>());
        Assert.True(driver.Record.Fenced);
        Assert.Equal(JobState.Cancelled, driver.Record.State);
        Assert.Empty(driver.Record.Allocations);
        Assert.Equal(reports, driver.Reports.Count());

        // Stopped for good: nothing more happens, whatever comes.
        var effects = driver.Effects.Count;
        driver.TickFor(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(1));
        driver.Apply(new LeaseAnswered(true, new LeaseAnswer(LeaseVerdict.Continue, 30, "late")));
        driver.Cancel(fenced: false);
        Assert.Equal(effects, driver.Effects.Count);
        Assert.Empty(driver.Sent.OfType<RenewalMessage>());
    }

    [Fact]
    public void LeaseAnswer_Fenced_StopsForGood()
    {
        var driver = new ExecutionDriver();
        driver.Running();

        driver.Apply(new LeaseAnswered(true, new LeaseAnswer(LeaseVerdict.Fenced, 0, "epoch 2 runs elsewhere")));

        Assert.True(driver.Record.Fenced);
        Assert.Contains(driver.Effects, e => e is StopRun);
        Assert.Contains("fenced by FR: epoch 2 runs elsewhere", driver.Record.StateReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancel_DuringStaging_EndsAtOnceAndNothingStartsAfterTheStaging()
    {
        var driver = new ExecutionDriver();
        driver.Staging();

        driver.Cancel(fenced: false);

        Assert.Equal(JobState.Cancelled, driver.Reports.Last().State);
        Assert.Single(driver.Effects.OfType<ReleaseNodes>());
        Assert.DoesNotContain(driver.Effects, e => e is StopRun);

        driver.Apply(new StagingDone(1000, "staged"));

        Assert.DoesNotContain(driver.Effects, e => e is StartRun);
        Assert.Equal(ExecutionStep.None, driver.State.Step);
        Assert.Equal(JobState.Cancelled, driver.Record.State);
    }

    [Fact]
    public void Cancel_RacingTheStart_StopsTheRunThatStartsLate()
    {
        var driver = new ExecutionDriver();
        driver.Staging();
        driver.Apply(new StagingDone(0, "nothing to stage"));
        Assert.Single(driver.Effects.OfType<StartRun>());

        driver.Cancel(fenced: false);
        Assert.Equal(JobState.Cancelled, driver.Reports.Last().State);
        Assert.DoesNotContain(driver.Effects, e => e is StopRun);

        driver.Apply(new RunStarted("4242", "/tmp/jobs/FR/job-1/e1", new ObservedRun(ObservedPhase.Running, "started")));

        var stop = Assert.Single(driver.Effects.OfType<StopRun>());
        Assert.Equal("4242", stop.Run.Handle);
        Assert.Equal(JobState.Cancelled, driver.Record.State);
        Assert.Equal("4242", driver.Record.Run!.Handle);
    }

    [Fact]
    public void Cancel_StaleEpoch_IsRejectedByRuleAndChangesNothing()
    {
        var driver = new ExecutionDriver(epoch: 1);
        driver.Running();
        var before = driver.State;

        var stale = driver.Cancel(fenced: true, epoch: 2);
        var foreign = driver.Cancel(fenced: true, from: ExecutionDriver.Local);

        Assert.Equal(ExecutionRules.StaleEpoch, stale.Rejected!.Rule);
        Assert.Equal(ExecutionRules.WrongSender, foreign.Rejected!.Rule);
        Assert.Contains("SE", foreign.Rejected.Message, StringComparison.Ordinal);
        Assert.Same(before, driver.State);
        Assert.False(driver.Record.Fenced);
    }

    [Fact]
    public void Cancel_BeforeTheOffer_IsRememberedAndTheLateOfferRefused()
    {
        var driver = new ExecutionDriver();

        var decision = driver.Cancel(fenced: true);
        Assert.Contains(decision.Events, e => e is RememberPreOfferFence);
        Assert.Null(driver.State.Record);

        driver.Apply(new OfferReceived(ExecutionDriver.Origin, new JobOffer { Job = ExecutionDriver.Job, Epoch = 1, Spec = ExecutionDriver.Spec(), LeaseSeconds = 30 },
            ExecutionDriver.Local, FencedBeforeOffer: true, Facts: null));

        Assert.False(driver.Record.Admission.Admitted);
        Assert.Equal(JobState.Failed, driver.Record.State);
        Assert.Contains("fenced by its origin before this offer arrived", driver.Record.Admission.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Walltime_RunGoesPastIt_IsStoppedAsTimedOut()
    {
        var driver = new ExecutionDriver();
        driver.Running(walltime: TimeSpan.FromSeconds(20));
        var walltime = ExecutionLifecycle.WalltimeLimit(driver.Record, driver.Settings);

        // Renewed all along, so that only the walltime can stop it.
        for (var passed = TimeSpan.Zero; passed <= walltime; passed += TimeSpan.FromSeconds(5))
        {
            Assert.Equal(JobState.Running, driver.Record.State);
            driver.Apply(new LeaseAnswered(true, new LeaseAnswer(LeaseVerdict.Continue, 30, "ok")));
            driver.TickFor(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));
        }

        Assert.Equal(JobState.TimedOut, driver.Reports.Last().State);
        Assert.Contains(driver.Effects, e => e is StopRun);
        Assert.Contains("walltime", driver.Record.StateReason, StringComparison.Ordinal);
    }

    [Fact]
    public void FinalReport_RunSucceeds_CarriesTheResultAndReleasesOnce()
    {
        var driver = new ExecutionDriver();
        driver.Running();
        driver.Advance(TimeSpan.FromSeconds(2));
        driver.Apply(new Tick());
        Assert.IsType<PollRun>(driver.Effects.Last());

        driver.Apply(new RunPolled(new ObservedRun(ObservedPhase.Succeeded, "finished with exit code 0", 0)));

        var final = driver.Reports.Last();
        Assert.Equal(JobState.Succeeded, final.State);
        Assert.Same(ExecutionDriver.Result, final.Result);
        Assert.Equal(1, final.Progress);
        Assert.Equal(0, driver.Effects.OfType<BillRun>().Single().ExitCode);
        Assert.Single(driver.Effects.OfType<ReleaseNodes>());
        Assert.Equal(driver.Reports.Select(r => r.Sequence), driver.Reports.Select((_, i) => (long)i + 1));
    }

    [Fact]
    public void Bill_CannotBeComputed_IsAskedForAgainAfterTheRecheck_AndTheEndingIsReportedWhenItComes()
    {
        var driver = new ExecutionDriver { BillsSucceed = false };
        driver.Running();
        driver.Advance(TimeSpan.FromSeconds(2));
        driver.Apply(new Tick());
        driver.Apply(new RunPolled(new ObservedRun(ObservedPhase.Succeeded, "finished with exit code 0", 0)));

        // Ending, not reported: what it held is given back once, and the bill is due again after the recheck.
        var failedAt = driver.Time.GetUtcNow();
        Assert.False(driver.State.Live);
        Assert.Equal((1, failedAt + driver.Settings.QueuedRecheck), (driver.State.Finishing!.BillFailures, driver.State.Finishing.BillAgainAt));
        Assert.Equal(failedAt + driver.Settings.QueuedRecheck, ExecutionLifecycle.NextDue(driver.State, driver.Settings));
        Assert.Equal(JobState.Running, driver.Reports.Last().State);
        driver.Advance(driver.Settings.QueuedRecheck - TimeSpan.FromTicks(1));
        driver.Apply(new Tick());
        Assert.Single(driver.Effects.OfType<BillRun>());

        // Failing again: asked for twice as late; meanwhile the lease is renewed, so that the origin keeps the epoch.
        driver.Advance(TimeSpan.FromTicks(1));
        driver.Apply(new Tick());
        var againAt = driver.Time.GetUtcNow();
        Assert.Equal((2, againAt + (2 * driver.Settings.QueuedRecheck)), (driver.State.Finishing!.BillFailures, driver.State.Finishing.BillAgainAt));
        var renewals = driver.Sent.OfType<RenewalMessage>().Count();
        var renewAt = driver.State.NextRenewalAt;
        Assert.InRange(renewAt, againAt, driver.State.Finishing.BillAgainAt!.Value);
        Assert.Equal(renewAt, ExecutionLifecycle.NextDue(driver.State, driver.Settings));
        driver.Advance(renewAt - againAt);
        driver.Apply(new Tick());
        Assert.Equal(renewals + 1, driver.Sent.OfType<RenewalMessage>().Count());
        driver.Apply(new LeaseAnswered(true, new LeaseAnswer(LeaseVerdict.Continue, 30, "ok")));
        Assert.False(driver.State.RenewalInFlight);

        driver.BillsSucceed = true;
        driver.Advance(driver.State.Finishing.BillAgainAt!.Value - driver.Time.GetUtcNow());
        driver.Apply(new Tick());

        Assert.Equal([false, true, true], driver.Effects.OfType<BillRun>().Select(b => b.Again));
        Assert.Equal((JobState.Succeeded, ExecutionDriver.Result), (driver.Reports.Last().State, driver.Reports.Last().Result));
        Assert.Null(driver.State.Finishing);
        Assert.Null(ExecutionLifecycle.NextDue(driver.State, driver.Settings));
        Assert.Single(driver.Effects.OfType<ReleaseNodes>());
    }

    [Fact]
    public void Bill_CannotBeComputed_TheOriginFencesMeanwhile_TheEndingIsWrittenNotReported()
    {
        var driver = new ExecutionDriver { BillsSucceed = false };
        driver.Running();
        driver.Apply(new CancellationReceived(ExecutionDriver.Origin, new JobCancellation(ExecutionDriver.Job, 1, "stop", Fenced: false)));
        var reported = driver.Reports.Count();
        driver.Apply(new LeaseAnswered(true, new LeaseAnswer(LeaseVerdict.Fenced, 30, "superseded")));
        Assert.True(driver.State.Finishing!.Fenced);
        Assert.Equal(driver.State.Finishing.BillAgainAt, ExecutionLifecycle.NextDue(driver.State, driver.Settings)); // fenced: no renewal due

        driver.BillsSucceed = true;
        driver.Advance(driver.Settings.QueuedRecheck);
        driver.Apply(new Tick());

        Assert.Equal((JobState.Cancelled, true), (driver.Record.State, driver.Record.Fenced));
        Assert.Equal(reported, driver.Reports.Count());
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 8)]
    [InlineData(6, 64)]
    [InlineData(40, 64)]
    public void BillRetryDelay_DoublesFromTheRecheck_UpTo64TimesIt(int failures, int times)
    {
        var settings = new ExecutionSettings();

        Assert.Equal(settings.QueuedRecheck * times, ExecutionLifecycle.BillRetryDelay(failures, settings));
    }

    [Fact]
    public void BillFailed_NoEndingBeingWritten_IsRejected()
    {
        var driver = new ExecutionDriver();
        driver.Running();

        driver.Apply(new BillFailed("stray"));

        Assert.Equal(ExecutionRules.ImpossibleTransition, Assert.Single(driver.Rejections).Rule);
    }

    [Fact]
    public void SimulatedRun_TicksEvery250Ms_IsPolledEveryPollEveryAndReportsProgressEveryProgressEvery()
    {
        var driver = new ExecutionDriver();
        driver.Staging(simulated: true);
        driver.Apply(new StagingDone(0, ""));
        Assert.Equal(JobState.Running, driver.Record.State);
        var reports = driver.Reports.Count();
        var polls = 0;

        for (var i = 1; i <= 17; i++)
        {
            driver.Advance(s_tick);
            var before = driver.Effects.Count;
            driver.Apply(new Tick());
            if (driver.Effects.Skip(before).OfType<PollRun>().Any())
            {
                polls++;
                driver.Apply(new RunPolled(new ObservedRun(ObservedPhase.Running, "running", Progress: i / 100.0)));
            }
        }

        // 4.25 s of ticks every 250 ms: the first poll at the first tick after the start, then one every
        // second (PollEvery: at 1.25, 2.25, 3.25 and 4.25 s), progress at 2.25 and 4.25 s (ProgressEvery).
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)), (driver.Settings.PollEvery, driver.Settings.ProgressEvery));
        Assert.Equal(5, polls);
        Assert.Equal(reports + 2, driver.Reports.Count());
    }

    [Theory]
    [InlineData(2, 16, 9)]    // progress every 2 s: the poll after the start, then one per report (2, 4, ... 16 s), none between
    [InlineData(3600, 16, 1)] // no report due: the one poll after the start, then none until the modelled end
    public void SimulatedRun_SteadyUntilItsModelledEnd_IsPolledOnlyForProgressAndAtTheEnd(int progressSeconds, int seconds, int pollsBeforeTheEnd)
    {
        var driver = new ExecutionDriver(settings: new ExecutionSettings { ProgressEvery = TimeSpan.FromSeconds(progressSeconds) });
        driver.Staging(simulated: true);
        driver.Apply(new StagingDone(0, ""));
        var end = driver.Time.GetUtcNow() + TimeSpan.FromSeconds(seconds) + s_tick;
        var polls = 0;

        while (driver.Record.State == JobState.Running)
        {
            driver.Advance(s_tick);
            var before = driver.Effects.Count;
            driver.Apply(new Tick());
            if (driver.Effects.Skip(before).OfType<PollRun>().Any())
            {
                polls++;
                driver.Apply(new RunPolled(driver.Time.GetUtcNow() < end
                    ? new ObservedRun(ObservedPhase.Running, "running", Progress: 0.5, SteadyUntil: end)
                    : new ObservedRun(ObservedPhase.Succeeded, "finished with exit code 0", 0, 1)));
            }
        }

        // The end is seen at the first tick at or after it, not up to PollEvery later.
        Assert.Equal((JobState.Succeeded, end), (driver.Record.State, driver.Time.GetUtcNow()));
        Assert.Equal(pollsBeforeTheEnd + 1, polls);
    }

    [Fact]
    public void Start_NotAskedFor_IsRejectedAsImpossible()
    {
        var driver = new ExecutionDriver();
        driver.Offer();

        var decision = driver.Apply(new RunStarted("1", "/tmp/x", new ObservedRun(ObservedPhase.Running, "started")));

        Assert.Equal(ExecutionRules.ImpossibleTransition, decision.Rejected!.Rule);
    }

    [Fact]
    public void Placement_NoRoomOnAgents_QueuesOnceThenLooksAgainAtItsRecheck()
    {
        var driver = new ExecutionDriver();
        driver.Offer();

        driver.Apply(new Tick(ExecutionDriver.Facts(free: 1)));
        var queuedAt = driver.Time.GetUtcNow();
        Assert.Equal(queuedAt + driver.Settings.QueuedRecheck, ExecutionLifecycle.NextDue(driver.State, driver.Settings));

        // Before its recheck it does not look (the grain gathers no facts), even if some came.
        driver.Advance(driver.Settings.QueuedRecheck / 2);
        Assert.False(driver.State.WantsLaunchFactsAt(driver.Time.GetUtcNow()));
        driver.Apply(new Tick(ExecutionDriver.Facts(free: 2)));
        Assert.DoesNotContain(driver.Effects, e => e is AllocateNodes);

        driver.Advance(driver.Settings.QueuedRecheck / 2);
        driver.Apply(new Tick(ExecutionDriver.Facts(free: 1)));
        var queued = Assert.Single(driver.Reports);
        Assert.Equal(JobState.Queued, queued.State);
        driver.Advance(driver.Settings.QueuedRecheck);
        driver.Apply(new Tick(ExecutionDriver.Facts(free: 2)));
        Assert.Contains(driver.Effects, e => e is AllocateNodes { Count: 2 });
        Assert.Equal(ExecutionStep.Staging, driver.State.Step);
    }

    [Fact]
    public void Placement_Queued_WokenByTheLedger_LooksAtOnce()
    {
        var driver = new ExecutionDriver();
        driver.Offer();
        driver.Apply(new Tick(ExecutionDriver.Facts(free: 0)));
        var now = driver.Time.GetUtcNow();

        var woken = driver.Apply(new Woken());

        Assert.Null(woken.Rejected);
        Assert.True(driver.State.WantsLaunchFactsAt(now));
        Assert.True(ExecutionLifecycle.NextDue(driver.State, driver.Settings) <= now, "a woken run is due at once");
        driver.Apply(new Tick(ExecutionDriver.Facts(free: 2)));
        Assert.Contains(driver.Effects, e => e is AllocateNodes { Count: 2 });
    }

    [Fact]
    public void Woken_NotWaitingForAccelerators_ChangesNothing()
    {
        var driver = new ExecutionDriver();
        driver.Offer();
        driver.Running();
        var before = driver.State;

        var woken = driver.Apply(new Woken());

        Assert.Null(woken.Rejected);
        Assert.Equal(before, driver.State);
        Assert.Empty(woken.Events);
    }

    [Fact]
    public void Placement_FactsCouldNotBeRead_LooksAgainAfterItsRecheck_NotAtEveryTick()
    {
        var driver = new ExecutionDriver();
        driver.Offer();
        var now = driver.Time.GetUtcNow();
        Assert.True(driver.State.WantsLaunchFactsAt(now));

        var failed = driver.Apply(new LaunchFactsFailed("the capacity ledger cannot be read"));

        Assert.Null(failed.Rejected);
        Assert.Empty(failed.Events);
        Assert.False(driver.State.WantsLaunchFactsAt(now + (driver.Settings.QueuedRecheck / 2)));
        Assert.Equal(now + driver.Settings.QueuedRecheck, ExecutionLifecycle.NextDue(driver.State, driver.Settings));
        driver.Advance(driver.Settings.QueuedRecheck);
        driver.Apply(new Tick(ExecutionDriver.Facts(free: 2)));
        Assert.Contains(driver.Effects, e => e is AllocateNodes { Count: 2 });
    }

    [Fact]
    public void LaunchFactsFailed_NotWaitingForAccelerators_ChangesNothing()
    {
        var driver = new ExecutionDriver();
        driver.Offer();
        driver.Running();
        var before = driver.State;

        var failed = driver.Apply(new LaunchFactsFailed("the capacity ledger cannot be read"));

        Assert.Null(failed.Rejected);
        Assert.Equal(before, driver.State);
    }

    [Fact]
    public void Placement_RefusedByTheLineAtAllocation_WaitsForItsRecheckOrAWake()
    {
        var driver = new ExecutionDriver { AllocationsSucceed = false };
        driver.Offer();

        // The ledger refuses the allocation (runs ranked ahead of it want what is free): back to waiting.
        driver.Apply(new Tick(ExecutionDriver.Facts(free: 4)));
        Assert.Contains(driver.Effects, e => e is AllocateNodes);
        Assert.Equal(ExecutionStep.None, driver.State.Step);

        var now = driver.Time.GetUtcNow();
        Assert.Equal(now + driver.Settings.QueuedRecheck, ExecutionLifecycle.NextDue(driver.State, driver.Settings));
        driver.Apply(new Woken());
        Assert.True(driver.State.WantsLaunchFactsAt(now));
    }

    [Fact]
    public void Placement_QueuedBehindRunsRankedAheadInLine_TheReasonNamesHowMany()
    {
        var driver = new ExecutionDriver();
        driver.Offer();
        var facts = ExecutionDriver.Facts(free: 0);

        driver.Apply(new Tick(facts with { Pools = [facts.Pools.Single() with { Ahead = 3 }] }));

        var queued = Assert.Single(driver.Reports);
        Assert.Equal(JobState.Queued, queued.State);
        Assert.Equal("queued: waiting for 2 x h100-sxm (0 of 4 free now in pool agents; 3 runs ranked ahead of it in line)", queued.Message);
        Assert.Equal("queued for 2 x h100-sxm (0 of 4 free now in pool agents; 3 runs ranked ahead of it in line)", driver.State.Record!.StateReason);
    }
}
