using Federation.Contracts.Jobs;
using Federation.Lifecycle.Executions;

namespace Federation.Lifecycle.Tests.Executions;

/// <summary>
/// A reclaim's checkpoint-then-give-back, on fake time: a running workload is signalled to checkpoint, the deadline
/// is persisted in the record, and the epoch is given back (stopped, requeued) when the grace ends or the run ends
/// within it, whatever its exit code; with no grace, or nothing running yet, it is the plain give-back.
/// </summary>
public sealed class CheckpointGiveBackTests
{
    private const string Reason = "reclaimed: FR (consortium health) needs 4 accelerators; this run was signalled to checkpoint and is requeued";
    private static readonly TimeSpan s_grace = TimeSpan.FromSeconds(10);

    private static ExecutionDriver Reclaimed(TimeSpan? grace = null)
    {
        var driver = new ExecutionDriver();
        driver.Running();
        driver.Apply(new ReclaimRequested(Reason, grace ?? s_grace));
        return driver;
    }

    [Fact]
    public void Reclaim_Running_SignalsAndPersistsTheDeadline_GivesBackOnlyWhenTheGraceEnds()
    {
        var driver = new ExecutionDriver();
        driver.Running();
        var asked = driver.Time.GetUtcNow();

        driver.Apply(new ReclaimRequested(Reason, s_grace));

        Assert.Equal("4242", Assert.Single(driver.Effects.OfType<SignalCheckpoint>()).Run.Handle);
        Assert.DoesNotContain(driver.Effects, e => e is StopRun or ReleaseNodes);
        Assert.Equal(new CheckpointRequest { Reason = Reason, AskedAt = asked, GiveBackBy = asked + s_grace }, driver.Record.Checkpoint);
        var signalled = driver.Reports.Last();
        Assert.Equal(JobState.Running, signalled.State);
        Assert.StartsWith($"signalled to checkpoint: {Reason}; given back when the run ends or at 2026-12-04T12:00:10Z (checkpoint grace 10 s)", signalled.Message, StringComparison.Ordinal);
        Assert.True(driver.State.Live);
        Assert.True(ExecutionLifecycle.NextDue(driver.State, driver.Settings) <= asked + s_grace, "the grain's timer is armed for the deadline at the latest");

        driver.TickFor(s_grace - TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500)); // to 9.5 s
        Assert.True(driver.State.Live, "still running before the grace ends");
        Assert.DoesNotContain(driver.Effects, e => e is StopRun);

        driver.Advance(TimeSpan.FromMilliseconds(500));
        driver.Apply(new Tick());

        Assert.Single(driver.Effects.OfType<StopRun>());
        Assert.Single(driver.Effects.OfType<ReleaseNodes>());
        var requeued = Assert.Single(driver.Reports, r => r.State == JobState.Requeued);
        Assert.Equal($"given back: {Reason}; the run was stopped when its checkpoint grace of 10 s ended", requeued.Message);
        Assert.Equal("give-back", driver.Sent.Last().Kind);
        Assert.False(driver.State.Live);
    }

    [Theory]
    [InlineData(ObservedPhase.Succeeded, 0)]
    [InlineData(ObservedPhase.Failed, 143)]
    public void Reclaim_RunEndsWithinTheGrace_GivenBackRequeuedNeverFinished(ObservedPhase phase, int exitCode)
    {
        var driver = Reclaimed();
        driver.Advance(TimeSpan.FromSeconds(3));

        driver.Apply(new RunPolled(new ObservedRun(phase, $"exited {exitCode}", exitCode)));

        Assert.DoesNotContain(driver.Reports, r => r.State.IsFinished());
        var requeued = Assert.Single(driver.Reports, r => r.State == JobState.Requeued);
        Assert.Equal($"given back: {Reason}; the run ended within its checkpoint grace (exit code {exitCode}: exited {exitCode})", requeued.Message);
        Assert.DoesNotContain(driver.Effects, e => e is StopRun);
        Assert.Equal(JobState.Requeued, driver.Record.State);

        // The deadline passing later changes nothing: the epoch is over.
        driver.Advance(s_grace);
        driver.Apply(new Tick());
        Assert.Single(driver.Reports, r => r.State == JobState.Requeued);
    }

    [Fact]
    public void Reclaim_SiloRestartsWithinTheGrace_TheRestoredStateGivesBackAtTheDeadline()
    {
        var driver = Reclaimed();
        driver.Advance(TimeSpan.FromSeconds(4));

        driver.Restart();
        Assert.NotNull(driver.Record.Checkpoint);
        driver.Apply(new Tick());
        Assert.True(driver.State.Live);
        driver.Advance(TimeSpan.FromSeconds(6));
        driver.Apply(new Tick());

        Assert.Single(driver.Reports, r => r.State == JobState.Requeued);
        Assert.Single(driver.Effects.OfType<StopRun>());
        Assert.Single(driver.Effects.OfType<SignalCheckpoint>());
    }

    [Fact]
    public void Reclaim_Twice_KeepsTheFirstDeadlineAndSignalsOnce()
    {
        var driver = Reclaimed();
        var first = driver.Record.Checkpoint;
        var reports = driver.Reports.Count();
        driver.Advance(TimeSpan.FromSeconds(2));

        var again = driver.Apply(new ReclaimRequested(Reason, TimeSpan.FromSeconds(30)));

        Assert.Null(again.Rejected);
        Assert.Same(first, driver.Record.Checkpoint);
        Assert.Single(driver.Effects.OfType<SignalCheckpoint>());
        Assert.Equal(reports, driver.Reports.Count());
    }

    [Fact]
    public void Reclaim_ThenTheNationDrainsWithGiveBack_StoppedAtOnceWithTheDrainsReason()
    {
        var driver = Reclaimed();
        driver.Advance(TimeSpan.FromSeconds(1));

        driver.Apply(new GiveBackRequested("SE drains for maintenance"));

        Assert.Single(driver.Effects.OfType<StopRun>());
        Assert.Equal("given back: SE drains for maintenance", Assert.Single(driver.Reports, r => r.State == JobState.Requeued).Message);
        driver.Advance(s_grace);
        driver.Apply(new Tick());
        Assert.Single(driver.Reports, r => r.State == JobState.Requeued);
    }

    [Fact]
    public void Reclaim_NoGrace_IsThePlainGiveBack()
    {
        var driver = Reclaimed(TimeSpan.Zero);

        Assert.DoesNotContain(driver.Effects, e => e is SignalCheckpoint);
        Assert.Single(driver.Effects.OfType<StopRun>());
        Assert.Equal($"given back: {Reason}", Assert.Single(driver.Reports, r => r.State == JobState.Requeued).Message);
        Assert.Null(driver.Record.Checkpoint);
    }

    [Fact]
    public void Reclaim_AdmittedNotYetRunning_GivenBackAtOnceWithNothingToSignal()
    {
        var driver = new ExecutionDriver();
        driver.Offer();

        driver.Apply(new ReclaimRequested(Reason, s_grace));

        Assert.DoesNotContain(driver.Effects, e => e is SignalCheckpoint or StopRun);
        Assert.Equal($"given back: {Reason}", Assert.Single(driver.Reports, r => r.State == JobState.Requeued).Message);
    }

    [Fact]
    public void Reclaim_SimulatedRun_NothingToSignalOutsideButTheGraceStillHolds()
    {
        var driver = new ExecutionDriver();
        driver.Staging(simulated: true);
        driver.Apply(new StagingDone(0, "staged"));
        Assert.True(driver.State.RunSimulated);

        driver.Apply(new ReclaimRequested(Reason, s_grace));
        Assert.True(driver.State.Live);
        driver.Advance(s_grace);
        driver.Apply(new Tick());

        Assert.Single(driver.Effects.OfType<SignalCheckpoint>());
        Assert.DoesNotContain(driver.Effects, e => e is StopRun);
        Assert.EndsWith("the run was stopped when its checkpoint grace of 10 s ended", Assert.Single(driver.Reports, r => r.State == JobState.Requeued).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reclaim_EpochNotLive_RejectedAsNothingToGiveBack()
    {
        var driver = new ExecutionDriver();
        driver.Running();
        driver.Cancel(fenced: true);

        var step = driver.Apply(new ReclaimRequested(Reason, s_grace));

        Assert.Equal(ExecutionLifecycle.NothingToGiveBack, step.Rejected!.Rule);
        Assert.DoesNotContain(driver.Effects, e => e is SignalCheckpoint);
    }
}
