using Federation.Contracts.Jobs;

namespace Federation.Lifecycle.Jobs;

public static partial class JobLifecycle
{
    /// <summary>
    /// The earliest time at which a <see cref="JobTick"/> can change the job in <paramref name="state"/>
    /// (lease expiry, the half-lease probe, a lost plan request, the next plan of a pending job), so
    /// that its grain arms one timer for then instead of ticking; null when no tick can change it.
    /// A tick before the answer changes nothing; the answer may lie in the past (due now).
    /// </summary>
    /// <remarks>
    /// Messages owed to peers (the outbox) are retried by the grain's sender on its own clock, not
    /// by the decider: <see cref="NeedsTicks"/> says whether the grain still needs a timer at all.
    /// </remarks>
    public static DateTimeOffset? NextDue(JobLifecycleState state, JobLifecycleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(settings);
        if (state.Record is not { } record || record.State.IsFinished())
        {
            return null;
        }

        DateTimeOffset? due = null;
        if (record.State.IsExecuting())
        {
            var heard = state.LeaseRenewedAt ?? record.UpdatedAt;
            due = Earliest(due, heard + settings.Lease + settings.Grace);
            if (state.ProbeId is null && record.Nation is not null)
            {
                // The probe goes once the silence is strictly over half the lease.
                due = Earliest(due, heard + (settings.Lease / 2) + TimeSpan.FromTicks(1));
            }
        }

        if (state.PlanRequestedAt is { } requested)
        {
            // Asked again once the wait is strictly over the plan timeout.
            return Earliest(due, requested + settings.PlanTimeout + TimeSpan.FromTicks(1));
        }

        if (record.State is JobState.Submitted)
        {
            return DateTimeOffset.MinValue;
        }

        return record.State is JobState.Planned or JobState.Requeued && record.Nation is null
            ? Earliest(due, state.NextPlanAt)
            : due;
    }

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
}
