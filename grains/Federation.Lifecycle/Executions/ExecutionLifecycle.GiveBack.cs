using System.Globalization;
using Federation.Contracts.Jobs;

namespace Federation.Lifecycle.Executions;

/// <content>
/// The give-back of a live epoch: by the operator (a draining nation) or by a reclaim. It follows the
/// lease-loss give-back: the run is stopped and its accelerators released, and the final report says
/// <see cref="JobState.Requeued"/> with the epoch, so that the origin's fences hold: it plans the job again
/// with a higher epoch, and any later message of this epoch is stale there. A reclaim with a checkpoint
/// grace first signals a running workload to checkpoint and records, in the persisted record, when the
/// epoch is given back at the latest (a restarted silo still gives it back then); a run that ends within
/// the grace, whatever its exit code, is given back too, never reported succeeded or failed. An epoch that
/// is no longer live (never admitted, finished, given back or fenced) has nothing to give back: the input
/// is rejected and changes nothing, so a repeated give-back sends no second report.
/// </content>
public static partial class ExecutionLifecycle
{
    /// <summary>The rule a give-back of an epoch that is not live is refused by.</summary>
    public const string NothingToGiveBack = "nothing-to-give-back";

    private static Decision<ExecutionState, ExecutionEffect> GiveBack(ExecutionState state, GiveBackRequested input, DateTimeOffset now) =>
        state.Live
            ? Stop(new ExecutionPlan(state), JobState.Requeued, $"given back: {(string.IsNullOrWhiteSpace(input.Reason) ? "the operator gave the epoch back" : input.Reason)}", fenced: false, now).Decided()
            : NotLive(state);

    private static Decision<ExecutionState, ExecutionEffect> Reclaimed(ExecutionState state, ReclaimRequested input, DateTimeOffset now)
    {
        if (!state.Live)
        {
            return NotLive(state);
        }

        var plan = new ExecutionPlan(state);
        var record = plan.Record;
        if (record.Checkpoint is not null)
        {
            // Asked already (a repeated reclaim): the deadline stands.
            return plan.Decided();
        }

        var reason = string.IsNullOrWhiteSpace(input.Reason) ? "reclaimed" : input.Reason;
        if (input.CheckpointGrace <= TimeSpan.Zero || record.State != JobState.Running || !(state.RunOutside || state.RunSimulated))
        {
            // No grace, or nothing running that could checkpoint (admitted, queued, staging): given back at once.
            return Stop(plan, JobState.Requeued, $"given back: {reason}", fenced: false, now).Decided();
        }

        var by = now + input.CheckpointGrace;
        var message = string.Create(CultureInfo.InvariantCulture,
            $"signalled to checkpoint: {reason}; given back when the run ends or at {by:yyyy-MM-ddTHH:mm:ssZ} (checkpoint grace {input.CheckpointGrace.TotalSeconds:0.#} s), whichever comes first");
        plan.Report(record with { StateReason = message, Checkpoint = new CheckpointRequest { Reason = reason, AskedAt = now, GiveBackBy = by } }, message);
        plan.Do(new SignalCheckpoint(record.Run!));
        return plan.Decided();
    }

    /// <summary>On a tick: stops and gives back a run whose checkpoint grace is over; null when none is.</summary>
    private static ExecutionPlan? CheckpointGraceOver(ExecutionPlan plan, DateTimeOffset now) =>
        plan.Record.Checkpoint is { } checkpoint && now >= checkpoint.GiveBackBy
            ? Stop(plan, JobState.Requeued, string.Create(CultureInfo.InvariantCulture,
                $"given back: {checkpoint.Reason}; the run was stopped when its checkpoint grace of {(checkpoint.GiveBackBy - checkpoint.AskedAt).TotalSeconds:0.#} s ended"), fenced: false, now)
            : null;

    /// <summary>A run that ended within its checkpoint grace: given back, whatever its outcome.</summary>
    private static ExecutionPlan EndedWithinGrace(ExecutionPlan plan, CheckpointRequest checkpoint, ObservedRun status, double progress, TimeSpan ran)
    {
        var how = status.ExitCode is { } code ? $"exit code {code}" : status.Phase.ToString().ToLowerInvariant();
        return End(plan, JobState.Requeued, $"given back: {checkpoint.Reason}; the run ended within its checkpoint grace ({how}: {status.Reason})", progress, ran, status.ExitCode, fenced: false);
    }

    private static Decision<ExecutionState, ExecutionEffect> NotLive(ExecutionState state)
    {
        var why = state.Record is { } record ? $"it is {record.State.ToString().ToLowerInvariant()}{(record.Fenced ? " (fenced)" : "")}" : "it was never admitted";
        return Reject(state, NothingToGiveBack, $"epoch {state.Epoch} of {state.Job} cannot be given back: {why}");
    }
}
