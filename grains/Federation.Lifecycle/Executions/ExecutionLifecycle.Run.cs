using System.Globalization;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Execution;
using Federation.Routing.Accelerators;

namespace Federation.Lifecycle.Executions;

public static partial class ExecutionLifecycle
{
    /// <summary>Places the run: the pool with the model that fits, free first; queued when none can take it now.</summary>
    private static ExecutionPlan Launch(ExecutionPlan plan, LaunchFacts facts, DateTimeOffset now, ExecutionSettings settings)
    {
        var record = plan.Record;
        if (!facts.WorkloadAllowed)
        {
            return End(plan, JobState.Failed, $"workload {record.Spec.Workload} is no longer on {facts.Local}'s allow-list: nothing ran", 0, TimeSpan.Zero, null, fenced: false);
        }

        var want = record.Spec.Accelerators;
        var choice = AcceleratorFit.Best(facts.Pools.Where(l => !facts.Simulated || !l.Slurm), l => new AcceleratorCapacity(l.Slug, l.Free, l.Total), want, settings.Reference);
        if (choice is null || (!choice.Slurm && choice.Free < want.Count))
        {
            var reason = choice is null
                ? $"no pool here has {AcceleratorFit.Needs(want)} in service now"
                : $"{want.Count} x {choice.Slug} ({choice.Free} of {choice.Total} free now in pool {choice.Pool}{InLine(choice.Ahead)})";
            if (record.State == JobState.Admitted)
            {
                plan.Report(record with { State = JobState.Queued, StateReason = $"queued for {reason}" }, $"queued: waiting for {reason}");
            }

            // Looked at again after the recheck, or sooner when the capacity ledger wakes it (Woken).
            plan.State = plan.State with { NextLaunchAt = now + settings.QueuedRecheck };
            return plan;
        }

        // A federated job's execution is its run's coordinator, whatever its aggregation workload is.
        var executor = (record.Spec.Federated is not null ? ExecutorKind.Federated
            : facts.Simulated ? ExecutorKind.Simulated : choice.Slurm ? ExecutorKind.Slurm : ExecutorKind.Process).ToText();
        var run = new ExecutionRun { Executor = executor, Pool = choice.Pool };
        plan.State = plan.State with { Record = record with { Accelerator = choice.Slug, Run = run } };
        if (choice.Slurm)
        {
            plan.State = plan.State with { Step = ExecutionStep.Staging };
            plan.Do(new StageInputs(run));
        }
        else
        {
            plan.State = plan.State with { Step = ExecutionStep.Allocating };
            plan.Do(new AllocateNodes(choice.Slug, want.Count));
        }

        return plan;
    }

    /// <summary>The place in line a queued run's reason names: nothing when no run is ranked ahead of it.</summary>
    private static string InLine(int ahead) => ahead switch
    {
        <= 0 => "",
        1 => "; 1 run ranked ahead of it in line",
        _ => string.Create(CultureInfo.InvariantCulture, $"; {ahead} runs ranked ahead of it in line"),
    };

    private static Decision<ExecutionState, ExecutionEffect> Allocated(ExecutionState state, AllocationDone input)
    {
        if (state.Step != ExecutionStep.Allocating)
        {
            return Reject(state, ExecutionRules.ImpossibleTransition, "an allocation ended that was not asked for");
        }

        var plan = new ExecutionPlan(state with { Step = ExecutionStep.None });
        if (!state.Live)
        {
            // Stopped while allocating: give the accelerators straight back.
            plan.Do(new ReleaseNodes(input.Allocations));
            return plan.Decided();
        }

        // Written before anything else happens: a restarted silo must know what to release.
        plan.Write(plan.Record with { Allocations = input.Allocations });
        plan.State = plan.State with { Step = ExecutionStep.Staging };
        plan.Do(new StageInputs(plan.Record.Run!));
        return plan.Decided();
    }

    private static Decision<ExecutionState, ExecutionEffect> Staged(ExecutionState state, long bytes, string reason, bool succeeded, DateTimeOffset now)
    {
        if (state.Step != ExecutionStep.Staging)
        {
            return Reject(state, ExecutionRules.ImpossibleTransition, "a staging ended that was not asked for");
        }

        var plan = new ExecutionPlan(state with { Step = ExecutionStep.None });
        if (!state.Live)
        {
            // Stopped while staging: the staged files are left for the job directory's clean-up, nothing starts.
            return plan.Decided();
        }

        var record = plan.Record;
        var run = record.Run!;
        if (ExecutorKinds.KindOf(run) == ExecutorKind.Simulated)
        {
            // The run is simulated, the data is not: what could be staged was, so that the bytes that
            // crossed a border (and their energy) are measured; a simulated run goes on without the rest.
            var inputs = record.Spec.Inputs.IsDefaultOrEmpty ? "" : succeeded ? $"; {reason}" : $"; inputs not staged ({reason}): no transfer counted";
            var held = string.Join(", ", record.Allocations.Select(a => $"{a.Key}: {a.Value}"));
            var message = $"running on {record.Spec.Accelerators.Count} x {record.Accelerator} ({held}), simulated{inputs}";
            plan.State = plan.State with { LastProgressAt = now, NextPollAt = now };
            plan.Report(record with { State = JobState.Running, StateReason = message, StartedAt = now, Progress = 0, Run = run with { StagedBytes = succeeded ? bytes : 0 } }, message, 0);
            return plan.Decided();
        }

        if (!succeeded)
        {
            return End(plan, JobState.Failed, $"staging failed: {reason}", 0, TimeSpan.Zero, null, fenced: false).Decided();
        }

        var staged = run with { StagedBytes = bytes };
        plan.State = plan.State with { Record = record with { Run = staged }, Step = ExecutionStep.Starting, StartsAsked = state.StartsAsked + 1 };
        plan.Do(new StartRun(staged));
        return plan.Decided();
    }

    private static Decision<ExecutionState, ExecutionEffect> Started(ExecutionState state, RunStarted input, DateTimeOffset now, ExecutionSettings settings)
    {
        if (state.Step != ExecutionStep.Starting)
        {
            return Reject(state, ExecutionRules.ImpossibleTransition, "a run started that was not asked for");
        }

        var plan = new ExecutionPlan(state with { Step = ExecutionStep.None });
        var run = plan.Record.Run! with { Handle = input.Handle, Directory = input.Directory };
        plan.Write(plan.Record with { Run = run });
        if (!state.Live)
        {
            // Cancelled or fenced while the executor was starting it: stop the run that came too late.
            plan.Do(new StopRun(run));
            return plan.Decided();
        }

        plan.State = plan.State with { NextPollAt = now + settings.PollEvery };
        return Observe(plan, input.Status, now, settings, changed: true).Decided();
    }

    private static Decision<ExecutionState, ExecutionEffect> StartFailed(ExecutionState state, RunStartFailed input, DateTimeOffset now)
    {
        if (state.Step != ExecutionStep.Starting)
        {
            return Reject(state, ExecutionRules.ImpossibleTransition, "a start failed that was not asked for");
        }

        var plan = new ExecutionPlan(state with { Step = ExecutionStep.None });
        return state.Live ? End(plan, JobState.Failed, $"the run could not be started: {input.Reason}", 0, TimeSpan.Zero, null, fenced: false).Decided() : plan.Decided();
    }

    private static Decision<ExecutionState, ExecutionEffect> Polled(ExecutionState state, RunPolled input, DateTimeOffset now, ExecutionSettings settings)
    {
        var plan = new ExecutionPlan(state with { PollInFlight = false });
        if (!state.Live || !(state.RunOutside || state.RunSimulated))
        {
            return plan.Decided();
        }

        Observe(plan, input.Status, now, settings, changed: false);
        if (input.Status is { Phase: ObservedPhase.Running, SteadyUntil: { } steady } && steady > now)
        {
            // Nothing changes before then on its own: the next poll is at that moment (the end is seen
            // when it comes), or earlier for the next progress report, but not before PollEvery.
            var report = plan.State.LastProgressAt + settings.ProgressEvery;
            var next = input.Status.Progress is null ? steady : Earliest(steady, report > plan.State.NextPollAt ? report : plan.State.NextPollAt);
            plan.State = plan.State with { NextPollAt = next };
        }

        return plan.Decided();
    }

    private static ExecutionPlan Observe(ExecutionPlan plan, ObservedRun status, DateTimeOffset now, ExecutionSettings settings, bool changed)
    {
        var record = plan.Record;
        switch (status.Phase)
        {
            case ObservedPhase.Pending:
                if (record.State != JobState.Queued || record.StateReason != status.Reason || changed)
                {
                    plan.Report(record with { State = JobState.Queued, StateReason = status.Reason }, $"queued: {status.Reason}");
                }

                return plan;
            case ObservedPhase.Running:
                if (record.State != JobState.Running || changed)
                {
                    var message = $"running {record.Spec.Workload} on {record.Spec.Accelerators.Count} x {record.Accelerator} ({record.Run!.Executor} executor, pool {record.Run.Pool}): {status.Reason}";
                    plan.State = plan.State with { LastProgressAt = now };
                    plan.Report(record with { State = JobState.Running, StateReason = message, StartedAt = record.StartedAt ?? now }, message);
                }
                else if (status.Progress is { } progress && now - plan.State.LastProgressAt >= settings.ProgressEvery)
                {
                    plan.State = plan.State with { LastProgressAt = now };
                    if (ExecutorKinds.KindOf(record.Run) == ExecutorKind.Federated)
                    {
                        // A federated run's progress is its rounds: say which round, and what it waits for.
                        var rounds = string.Create(CultureInfo.InvariantCulture, $"running: {progress:P0}, {status.Reason}");
                        plan.Report(record with { Progress = progress, StateReason = rounds }, rounds, progress);
                    }
                    else
                    {
                        plan.Report(record with { Progress = progress }, string.Create(CultureInfo.InvariantCulture, $"running: {progress:P0}"), progress);
                    }
                }

                return plan;
            default:
                var outcome = status.Phase switch
                {
                    ObservedPhase.Succeeded => JobState.Succeeded,
                    ObservedPhase.TimedOut => JobState.TimedOut,
                    ObservedPhase.Cancelled => JobState.Cancelled,
                    _ => JobState.Failed,
                };
                var ran = status.Ran ?? (record.StartedAt is { } started ? now - started : TimeSpan.Zero);
                if (record.Checkpoint is { } checkpoint)
                {
                    return EndedWithinGrace(plan, checkpoint, status, status.Progress ?? record.Progress, ran);
                }

                var progressed = status.Progress ?? (outcome == JobState.Succeeded ? 1 : record.Progress);
                return End(plan, outcome, status.Reason, progressed, ran, status.ExitCode, fenced: false);
        }
    }
}
