using Federation.Lifecycle.Jobs;

namespace Federation.Grains.Jobs.Leases;

/// <summary>
/// When a grain's lease entry is due, or whether it needs one at all: pure, so that the sweeper's
/// rule and the grains' rule are tested on fake time.
/// </summary>
public static class LeaseRule
{
    /// <summary>True when an entry due at <paramref name="due"/> is to be woken at <paramref name="now"/>.</summary>
    public static bool IsDue(DateTimeOffset due, DateTimeOffset now) => due <= now;

    /// <summary>When a claimed entry, or a live grain's new entry, is due next.</summary>
    public static DateTimeOffset Next(DateTimeOffset now, LeaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return now + settings.Recheck;
    }

    /// <summary>
    /// A job's entry: due at the next recheck while it needs its timer (alive, or messages owed), at
    /// the end of its retention once finished, none when there is no job.
    /// </summary>
    public static DateTimeOffset? ForJob(JobLifecycleState job, DateTimeOffset now, TimeSpan retention, LeaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Record is not { } record)
        {
            return null;
        }

        if (JobLifecycle.NeedsTicks(job))
        {
            return Next(now, settings);
        }

        return (record.FinishedAt ?? now) + retention;
    }

    /// <summary>
    /// The entry a grain writes when its activation ends while it still needs waking
    /// (<paramref name="needsWake"/>): due when its timer would have fired (at the next recheck
    /// when none was armed), so an idle grain leaves memory and comes back when it has work. Null (no
    /// write) when it needs none, when the silo shuts down (the sweep of a failed silo, or of the
    /// sweeper's start, wakes it: no write per grain on the way down), or when the grain lives on
    /// elsewhere (migrated, a duplicate) or never came up.
    /// </summary>
    public static DateTimeOffset? OnDeactivation(bool needsWake, DeactivationReasonCode reason, DateTimeOffset? firesAt, DateTimeOffset now, LeaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!needsWake || reason is DeactivationReasonCode.ShuttingDown or DeactivationReasonCode.Migrating
            or DeactivationReasonCode.DuplicateActivation or DeactivationReasonCode.ActivationFailed)
        {
            return null;
        }

        return firesAt ?? Next(now, settings);
    }

    /// <summary>An execution's entry: due at the next recheck while it runs or owes reports, none after.</summary>
    public static DateTimeOffset? ForExecution(bool live, int outbox, DateTimeOffset now, LeaseSettings settings) =>
        live || outbox > 0 ? Next(now, settings) : null;
}
