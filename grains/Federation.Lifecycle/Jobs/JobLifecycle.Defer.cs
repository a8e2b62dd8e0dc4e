using System.Globalization;
using Federation.Contracts.Jobs;
using Federation.Contracts.Routing;
using Federation.Routing;

namespace Federation.Lifecycle.Jobs;

/// <content>
/// Holding a deferrable job until the cleaner window its decision chose. The job waits as a pending
/// job whose next plan is due at the window (<see cref="JobLifecycleState.NextPlanAt"/>, the same clock
/// that drives every pending job's re-plan, so its grain's one timer and the nation's lease index wake
/// it then); at the window it is decided again with the forecast of that time, and runs unless a
/// still cleaner window that meets the deadline lies ahead. Its id, submission time and epoch do not
/// change while it waits, and nothing is charged to its nation's usage before it runs.
/// </content>
public static partial class JobLifecycle
{
    /// <summary>How the reason of a job held for its window begins.</summary>
    public const string DeferredReason = "deferred until ";

    /// <summary>
    /// Routes <paramref name="record"/> by <paramref name="decision"/>: holds it when the decision defers it to
    /// a later window that still meets its deadline, else offers it (with what any earlier hold avoided).
    /// </summary>
    private static void Route(JobStepBuilder step, JobRecord record, RoutingDecision decision)
    {
        if (Holds(decision, record.Spec, step.Now))
        {
            Defer(step, record with { Decision = decision }, decision.TimeShift!);
            return;
        }

        if (step.State.Deferral is { } held && decision.Chosen is not null)
        {
            decision = Reached(held, decision, step.Now);
            step.State = step.State with { Deferral = null };
        }

        OfferNext(step, record with { Decision = decision });
    }

    /// <summary>
    /// True when <paramref name="decision"/> defers the job to a window after <paramref name="now"/>, no further
    /// ahead than a forecast reaches, expected to finish by the deadline: a decision that says otherwise runs now.
    /// </summary>
    private static bool Holds(RoutingDecision decision, JobSpec spec, DateTimeOffset now) =>
        decision is { Chosen: not null, TimeShift: { Deferred: true } shift }
        && spec is { Deferrable: true, Deadline: { } deadline }
        && shift.StartAt > now
        && shift.StartAt <= now.AddHours(Router.MaxShiftHours)
        && shift.FinishBy <= deadline;

    private static void Defer(JobStepBuilder step, JobRecord record, TimeShift shift)
    {
        // Against running when first deferred: a job deferred again keeps the figure it was first held against.
        var first = step.State.Deferral;
        var held = shift with
        {
            NowNation = first?.NowNation ?? shift.NowNation,
            NowGco2e = first?.NowGco2e ?? shift.NowGco2e,
            AvoidedGco2e = (first?.NowGco2e ?? shift.NowGco2e) - shift.WindowGco2e,
        };
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"{DeferredReason}{Time(shift.StartAt)} for cleaner hours in {shift.Nation} (avoids {held.AvoidedGco2e:0.##} gCO2e: {shift.WindowGco2e:0.##} then vs {held.NowGco2e:0.##} now in {held.NowNation}; deadline {Time(record.Spec.Deadline!.Value)})");
        step.State = step.State with { Deferral = held, NextPlanAt = shift.StartAt, RefusedUnderDecision = [] };
        step.Commit(record with { State = JobState.Planned, Nation = null, StateReason = reason, Progress = null }, reason);
    }

    /// <summary>The decision at the window, its time shift saying what the wait since <paramref name="held"/> avoided.</summary>
    private static RoutingDecision Reached(TimeShift held, RoutingDecision decision, DateTimeOffset now)
    {
        var chosen = decision.Candidates.FirstOrDefault(c => c.Nation == decision.Chosen)?.Score;
        var then = chosen?.TotalGco2e ?? decision.TimeShift?.NowGco2e ?? held.WindowGco2e;
        var avoided = held.NowGco2e - then;
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"window reached after a wait for cleaner hours: {then:0.##} gCO2e in {decision.Chosen} now vs {held.NowGco2e:0.##} gCO2e in {held.NowNation} when deferred, {avoided:0.##} gCO2e avoided");
        return decision with
        {
            Summary = $"{reason}; {decision.Summary}",
            TimeShift = new TimeShift
            {
                Deferred = true,
                StartAt = now,
                FinishBy = chosen is null ? decision.TimeShift?.FinishBy ?? now : now.AddHours(chosen.ExpectedWaitHours + chosen.RunHours),
                Nation = decision.Chosen!.Value,
                NowNation = held.NowNation,
                NowGco2e = held.NowGco2e,
                WindowGco2e = then,
                AvoidedGco2e = avoided,
                WindowsCompared = held.WindowsCompared + (decision.TimeShift?.WindowsCompared ?? 0),
                Reason = reason,
            },
        };
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
