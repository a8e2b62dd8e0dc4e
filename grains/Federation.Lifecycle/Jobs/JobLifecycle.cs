using System.Globalization;
using Federation.Contracts.Jobs;
using Federation.Protocol.Messages;

namespace Federation.Lifecycle.Jobs;

/// <summary>
/// A job's life in its origin nation as a pure decider: (state, input, now, settings) to the new
/// state, the messages to send and the events to record. It decides epochs, the order of offers
/// over a decision's ranked candidates, refusals, fencing of stale epochs, the lease (expiry after
/// lease + grace, the half-lease probe), give-backs, cancel races and re-planning. An input it
/// cannot accept is rejected with the rule's name and changes nothing.
/// </summary>
public static partial class JobLifecycle
{
    /// <summary>Decides what <paramref name="input"/> does to the job in <paramref name="state"/> at <paramref name="now"/>.</summary>
    public static JobStep Decide(JobLifecycleState state, JobInput input, DateTimeOffset now, JobLifecycleSettings settings) => input switch
    {
        SubmitJob submit => Submit(state, submit, now, settings),
        PlanCompleted plan => Planned(state, plan, now, settings),
        MessageDelivered delivered => Delivered(state, delivered, now, settings),
        ReportReceived report => Report(state, report, now, settings),
        RenewalReceived renewal => Renew(state, renewal, now, settings),
        CancelRequested cancel => Cancel(state, cancel, now, settings),
        ClockResumed => Resume(state, now),
        JobTick => Tick(state, now, settings),
        _ => Reject(state, JobRules.ImpossibleTransition, $"{input.GetType().Name} is not an input of a job's lifecycle"),
    };

    /// <summary>True when the job finished at least <see cref="JobLifecycleSettings"/>' retention ago and owes no message: it may be removed.</summary>
    public static bool RetentionOver(JobLifecycleState state, DateTimeOffset now, TimeSpan retention) =>
        state.Record is { FinishedAt: { } finishedAt } record && record.State.IsFinished() && state.Outbox.IsEmpty && now - finishedAt >= retention;

    /// <summary>True while the job needs its timer: it is alive, or messages are still owed.</summary>
    public static bool NeedsTicks(JobLifecycleState state) =>
        state.Record is { } record && (!record.State.IsFinished() || !state.Outbox.IsEmpty);

    private static JobStep Submit(JobLifecycleState state, SubmitJob submit, DateTimeOffset now, JobLifecycleSettings settings)
    {
        if (state.Record is { } existing)
        {
            return existing.Spec == submit.Spec
                ? Unchanged(state)
                : Reject(state, JobRules.SpecConflict, $"job {state.Job} was submitted at {existing.SubmittedAt:u} with another spec; submit the same spec again, or choose another id");
        }

        if (submit.Decision is { } given && given.Job != state.Job)
        {
            return Reject(state, JobRules.WrongDecision, $"the routing decision given with job {state.Job} is for job {given.Job}");
        }

        var step = new JobStepBuilder(state with { TraceParent = submit.TraceParent }, now, settings);
        var record = new JobRecord
        {
            Ref = state.Job,
            Spec = submit.Spec,
            State = JobState.Submitted,
            StateReason = submit.Decision is null ? "submitted; planning" : "submitted",
            SubmittedAt = now,
            UpdatedAt = now,
        };
        step.Commit(record, $"submitted by {submit.Spec.Owner.User}");
        if (submit.Decision is { } decision)
        {
            // One plan per job: the decision made when the submission was checked is the first plan.
            step.State = step.State with { NextPlanAt = now + settings.ReplanInterval };
            Route(step, step.Record, decision);
        }
        else
        {
            step.RequestPlan();
        }

        return new JobStep(step.Build());
    }

    private static JobStep Cancel(JobLifecycleState state, CancelRequested cancel, DateTimeOffset now, JobLifecycleSettings settings)
    {
        if (state.Record is not { } record)
        {
            return Reject(state, JobRules.UnknownJob, $"{state.Job.Origin} has no job '{state.Job.Id}'; jobs are listed with GET /api/v1/jobs in the nation they were submitted to");
        }

        if (record.State.IsFinished())
        {
            return Reject(state, JobRules.ImpossibleTransition, $"job {state.Job} already finished: it is {Name(record.State)} ({record.StateReason})");
        }

        var step = new JobStepBuilder(state, now, settings);

        // An offer still in the outbox must never be admitted after the cancel: it is taken back (the
        // cancellation below reaches the nation even if the offer already did, and fences it if it comes later).
        foreach (var unanswered in state.Outbox.Where(m => m.Message is OfferMessage).ToList())
        {
            step.Remove(unanswered);
        }

        if (record.Nation is { } nation && (record.State == JobState.Offered || record.State.IsExecuting()))
        {
            step.Enqueue(nation, new CancellationMessage(new JobCancellation(state.Job, record.Epoch, cancel.Reason, Fenced: false)));
        }

        step.Commit(record with { State = JobState.Cancelled, StateReason = $"cancelled: {cancel.Reason}", FinishedAt = now }, $"cancelled: {cancel.Reason}");
        step.State = step.State with { PlanRequestedAt = null };
        return new JobStep(step.Build());
    }

    private static JobStep Planned(JobLifecycleState state, PlanCompleted plan, DateTimeOffset now, JobLifecycleSettings settings)
    {
        if (state.Record is not { State: JobState.Submitted or JobState.Planned or JobState.Requeued } record || state.PlanAttempt == 0)
        {
            return Reject(state, JobRules.StalePlan, $"job {state.Job} awaits no plan now");
        }

        if (plan.Attempt != state.PlanAttempt)
        {
            return Reject(state, JobRules.StalePlan, $"plan attempt {plan.Attempt} of job {state.Job} is stale: attempt {state.PlanAttempt} is awaited");
        }

        var step = new JobStepBuilder(state, now, settings);
        step.State = step.State with { PlanRequestedAt = null, NextPlanAt = now + settings.ReplanInterval };
        if (plan.Decision is not { } decision)
        {
            var reason = $"pending: cannot plan now ({plan.Failure})";
            if (record.StateReason != reason)
            {
                step.Commit(record with { State = JobState.Planned, Nation = null, StateReason = reason }, reason);
            }

            return new JobStep(step.Build());
        }

        step.State = step.State with { RefusedUnderDecision = [] };
        Route(step, record, decision);
        return new JobStep(step.Build());
    }

    private static void OfferNext(JobStepBuilder step, JobRecord record)
    {
        var decision = record.Decision!;
        var refused = step.State.RefusedUnderDecision;
        var next = decision.Candidates
            .Where(c => c.Rank is not null && !refused.Contains(c.Nation))
            .OrderBy(c => c.Rank)
            .FirstOrDefault();
        if (next is null)
        {
            var refusals = record.Admissions.Where(a => !a.Admitted && refused.Contains(a.Nation)).TakeLast(refused.Count).ToList();
            var reason = decision.Chosen is null
                ? $"pending: {decision.Summary}"
                : $"pending: every feasible nation refused ({string.Join("; ", refusals.Select(a => $"{a.Nation}: {a.Reason}"))})";
            step.State = step.State with { NextPlanAt = step.Now + step.Settings.ReplanInterval };
            if (step.State.Record is not { State: JobState.Planned, Nation: null } current || current.StateReason != reason)
            {
                step.Commit(record with { State = JobState.Planned, Nation = null, StateReason = reason }, reason);
            }
            else
            {
                // A re-plan with the same outcome changes nothing users see: no event; "why pending?" shows the latest plan.
                step.State = step.State with { Record = current with { Decision = decision } };
            }

            return;
        }

        var epoch = record.Epoch + 1;
        step.Enqueue(next.Nation, new OfferMessage(new JobOffer { Job = step.State.Job, Epoch = epoch, Spec = record.Spec, LeaseSeconds = step.Settings.Lease.TotalSeconds }));
        step.State = step.State with { LastReportSequence = 0 };
        var why = next.Score is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"offered to {next.Nation} (rank {next.Rank}: {s.TotalGco2e:0.##} gCO2e on {s.Accelerator}, wait {s.ExpectedWaitHours:0.##} h)")
            : $"offered to {next.Nation} (rank {next.Rank})";
        step.Commit(record with { State = JobState.Offered, Epoch = epoch, Nation = next.Nation, StateReason = why, Progress = null }, why, next.Nation);
    }

    private static void Refused(JobStepBuilder step, Admission refusal)
    {
        step.State = step.State with { RefusedUnderDecision = step.State.RefusedUnderDecision.Add(refusal.Nation) };
        var refused = step.Record with { Admissions = step.Record.Admissions.Add(refusal), Nation = null };
        step.Commit(refused with { State = JobState.Planned, StateReason = $"refused by {refusal.Nation}: {refusal.Reason}" }, $"refused by {refusal.Nation}: {refusal.Reason}", refusal.Nation);
        OfferNext(step, step.Record);
    }

    private static JobStep Resume(JobLifecycleState state, DateTimeOffset now) =>
        state.Record is null
            ? Unchanged(state)
            : new JobStep(new Decision<JobLifecycleState, JobEvent>(state with { LeaseRenewedAt = now, PlanRequestedAt = null }, [], []));

    private static JobStep Unchanged(JobLifecycleState state) => new(new Decision<JobLifecycleState, JobEvent>(state, [], []));

    private static JobStep Reject(JobLifecycleState state, string rule, string message) =>
        new(new Decision<JobLifecycleState, JobEvent>(state, [], [], new Rejection(rule, message)));

    private static string Name(JobState state)
    {
        var text = state.ToString();
        return char.ToLowerInvariant(text[0]) + text[1..];
    }
}
