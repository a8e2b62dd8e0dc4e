using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Routing;
using Federation.Lifecycle.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Lifecycle.Tests.Jobs;

/// <summary>
/// A deferrable job held until the window its decision chose: no offer before it, one plan at it,
/// the avoided gCO2e against running when first deferred on the record, cancel while held, and a
/// window that would miss the deadline runs now.
/// </summary>
public sealed class JobLifecycleDeferTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromHours(6);

    private static JobSpec Spec(JobDriver job, TimeSpan slack) =>
        JobDriver.Spec with { Deferrable = true, Deadline = job.Time.GetUtcNow() + slack };

    /// <summary>A decision for DE that defers the job to <paramref name="start"/>: <paramref name="now"/> gCO2e now, <paramref name="then"/> then.</summary>
    private static RoutingDecision Deferred(DateTimeOffset start, double now, double then, TimeSpan? run = null) =>
        JobDriver.Decision(JobDriver.De) with
        {
            TimeShift = Shift(true, start, start + (run ?? TimeSpan.FromHours(1)), now, then),
        };

    /// <summary>A decision for <paramref name="nation"/> to run at <paramref name="at"/>, emitting <paramref name="gco2e"/>.</summary>
    private static RoutingDecision RunsNow(NationCode nation, DateTimeOffset at, double gco2e) =>
        JobDriver.Decision(nation) with { TimeShift = Shift(false, at, at.AddHours(1), gco2e, gco2e) with { Nation = nation, NowNation = nation } };

    private static TimeShift Shift(bool deferred, DateTimeOffset start, DateTimeOffset finish, double now, double then) => new()
    {
        Deferred = deferred,
        StartAt = start,
        FinishBy = finish,
        Nation = JobDriver.De,
        NowNation = JobDriver.De,
        NowGco2e = now,
        WindowGco2e = then,
        AvoidedGco2e = now - then,
        WindowsCompared = 12,
        Reason = deferred ? "deferred" : "runs now",
    };

    private static JobDriver Held(out DateTimeOffset window)
    {
        var job = new JobDriver();
        window = job.Time.GetUtcNow() + s_wait;
        job.Apply(new SubmitJob(Spec(job, TimeSpan.FromHours(20)), Deferred(window, 400, 150)));
        return job;
    }

    [Fact]
    public void Submit_DeferredDecision_HoldsTheJobUntilItsWindowWithoutAnOffer()
    {
        var job = Held(out var window);

        Assert.Equal((JobState.Planned, (NationCode?)null, 0), (job.Record.State, job.Record.Nation, job.Record.Epoch));
        Assert.Empty(job.State.Outbox);
        Assert.StartsWith("deferred until ", job.Record.StateReason, StringComparison.Ordinal);
        Assert.Contains("for cleaner hours in DE (avoids 250 gCO2e: 150 then vs 400 now in DE", job.Record.StateReason, StringComparison.Ordinal);
        Assert.Equal(job.Record.StateReason, job.State.Events[^1].Message);
        Assert.Equal(window, JobLifecycle.NextDue(job.State, job.Settings));
        Assert.Equal(250, job.State.Deferral!.AvoidedGco2e);
        Assert.True(job.Record.Decision!.TimeShift!.Deferred, "explain shows the window the job waits for");
    }

    [Fact]
    public void Tick_BeforeTheWindowNothing_AtTheWindowOnePlan()
    {
        var job = Held(out var window);

        var early = job.Tick(s_wait - TimeSpan.FromMinutes(1));
        Assert.Equal(0, job.State.PlanAttempt);
        Assert.Empty(early.Decision.Events);

        job.Tick(TimeSpan.FromMinutes(1));
        Assert.Equal(window, job.Time.GetUtcNow());
        Assert.Equal(1, job.State.PlanAttempt);
        job.Tick(TimeSpan.FromSeconds(1));
        Assert.Equal(1, job.State.PlanAttempt);
    }

    [Fact]
    public void PlanAtTheWindow_RunsNow_OffersWithWhatTheWaitAvoided()
    {
        var job = Held(out var window);
        var submitted = job.Record.SubmittedAt;
        job.Tick(s_wait);

        job.Apply(new PlanCompleted(1, RunsNow(JobDriver.De, window, 160), null));

        Assert.Equal((JobState.Offered, 1, (NationCode?)JobDriver.De), (job.Record.State, job.Record.Epoch, job.Record.Nation));
        Assert.IsType<OfferMessage>(Assert.Single(job.State.Outbox).Message);
        var shift = job.Record.Decision!.TimeShift!;
        Assert.True(shift.Deferred);
        Assert.Equal((window, 400.0, 160.0, 240.0), (shift.StartAt, shift.NowGco2e, shift.WindowGco2e, shift.AvoidedGco2e));
        Assert.StartsWith("window reached after a wait for cleaner hours: 160 gCO2e in DE now vs 400 gCO2e in DE when deferred, 240 gCO2e avoided", job.Record.Decision.Summary, StringComparison.Ordinal);
        Assert.Null(job.State.Deferral);
        Assert.Equal(submitted, job.Record.SubmittedAt);
    }

    [Fact]
    public void PlanAtTheWindow_DefersAgain_KeepsTheFirstBaseline()
    {
        var job = Held(out var window);
        job.Tick(s_wait);

        job.Apply(new PlanCompleted(1, Deferred(window.AddHours(2), 170, 120), null));

        Assert.Equal(JobState.Planned, job.Record.State);
        Assert.Empty(job.State.Outbox);
        Assert.Equal((400.0, 280.0), (job.State.Deferral!.NowGco2e, job.State.Deferral.AvoidedGco2e));
        Assert.Contains("avoids 280 gCO2e: 120 then vs 400 now", job.Record.StateReason, StringComparison.Ordinal);
        Assert.Equal(window.AddHours(2), JobLifecycle.NextDue(job.State, job.Settings));
    }

    [Fact]
    public void PlanAtTheWindow_Fails_StaysPendingAndStillCountsFromTheFirstBaseline()
    {
        var job = Held(out var window);
        job.Tick(s_wait);

        job.Apply(new PlanCompleted(1, null, "DE is unreachable"));
        Assert.Equal("pending: cannot plan now (DE is unreachable)", job.Record.StateReason);
        Assert.NotNull(job.State.Deferral);
        job.Tick(job.Settings.ReplanInterval);
        job.Apply(new PlanCompleted(2, RunsNow(JobDriver.Fr, job.Time.GetUtcNow(), 100), null));

        Assert.Equal((JobState.Offered, (NationCode?)JobDriver.Fr), (job.Record.State, job.Record.Nation));
        Assert.Equal(300, job.Record.Decision!.TimeShift!.AvoidedGco2e);
    }

    [Fact]
    public void Cancel_WhileDeferred_CancelsWithoutAMessageAndNeedsNoTimer()
    {
        var job = Held(out _);

        var step = job.Apply(new CancelRequested("not needed"));

        Assert.True(step.Decision.Accepted);
        Assert.Equal(JobState.Cancelled, job.Record.State);
        Assert.Empty(step.Decision.Send);
        Assert.Null(JobLifecycle.NextDue(job.State, job.Settings));
        Assert.Equal(JobState.Cancelled, job.Tick(s_wait).State.Record!.State);
        Assert.Equal(0, job.State.PlanAttempt);
    }

    [Fact]
    public void Submit_WindowWouldMissTheDeadline_OffersNow()
    {
        var job = new JobDriver();
        var spec = Spec(job, TimeSpan.FromHours(4));

        job.Apply(new SubmitJob(spec, Deferred(job.Time.GetUtcNow().AddHours(3), 400, 150, run: TimeSpan.FromHours(2))));

        Assert.Equal((JobState.Offered, (NationCode?)JobDriver.De), (job.Record.State, job.Record.Nation));
        Assert.Null(job.State.Deferral);
    }

    [Fact]
    public void Submit_NotDeferrableSpec_IgnoresADeferredDecisionAndOffersNow()
    {
        var job = new JobDriver();

        job.Apply(new SubmitJob(JobDriver.Spec, Deferred(job.Time.GetUtcNow().AddHours(3), 400, 150)));

        Assert.Equal(JobState.Offered, job.Record.State);
    }
}
