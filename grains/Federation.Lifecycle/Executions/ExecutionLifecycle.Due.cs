using Federation.Contracts.Jobs;

namespace Federation.Lifecycle.Executions;

public static partial class ExecutionLifecycle
{
    /// <summary>
    /// The earliest time at which a <see cref="Tick"/> can change the execution in <paramref name="state"/>
    /// (the lease running out, the next renewal, the end of a checkpoint grace, the walltime limit, the next poll of its run, a launch
    /// or a restaging that is due now), so that its grain arms one timer for then instead of ticking;
    /// null when no tick can change it (not live, or waiting for an effect's outcome or a renewal's answer
    /// only). A tick before the answer changes nothing; the answer may lie in the past (due now).
    /// </summary>
    /// <remarks>
    /// A launch that finds no capacity is due again after <see cref="ExecutionSettings.QueuedRecheck"/>, or at
    /// once when <see cref="Woken"/> (the capacity ledger wakes the runs first in line when accelerators are freed).
    /// Reports owed to the origin (the outbox) are retried by the grain's sender on its own clock.
    /// </remarks>
    public static DateTimeOffset? NextDue(ExecutionState state, ExecutionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(settings);
        if (!state.Live)
        {
            // A bill asked for again, and the lease renewed meanwhile; or nothing.
            return state.Finishing is { Fenced: false, BillFailures: > 0 } && !state.RenewalInFlight
                ? Earliest(state.Finishing.BillAgainAt, state.NextRenewalAt)
                : state.Finishing?.BillAgainAt;
        }

        var record = state.Record!;

        // Stopped once the silence is strictly over the lease less the margin.
        DateTimeOffset? due = state.LeaseHeardAt + (TimeSpan.FromSeconds(record.LeaseSeconds) - settings.Margin) + TimeSpan.FromTicks(1);
        if (record.Checkpoint is { } checkpoint)
        {
            due = Earliest(due, checkpoint.GiveBackBy);
        }

        if (!state.RenewalInFlight)
        {
            due = Earliest(due, state.NextRenewalAt);
        }

        if (record is { State: JobState.Running, StartedAt: { } started })
        {
            due = Earliest(due, started + WalltimeLimit(record, settings) + TimeSpan.FromTicks(1));
        }

        if (state.Step != ExecutionStep.None)
        {
            return due;
        }

        if (state.WantsLaunchFacts)
        {
            return Earliest(due, state.NextLaunchAt);
        }

        if (state.RunOutside || state.RunSimulated)
        {
            return state.PollInFlight ? due : Earliest(due, state.NextPollAt);
        }

        // Placed but not started: staged again at once.
        return record.Run is not null ? DateTimeOffset.MinValue : due;
    }

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
}
