using Federation.Lifecycle.Jobs;

namespace Federation.Grains.Jobs.Leases;

/// <summary>Writes a job's entry in the nation's lease index as <see cref="LeaseRule.ForJob"/> says.</summary>
public static class JobLeaseEntries
{
    /// <summary>Sets <paramref name="job"/>'s entry to when it is due next or at the end of its retention, or removes it when it needs none.</summary>
    public static Task SettleJobAsync(this ILeaseIndex leases, JobLifecycleState job, DateTimeOffset now, TimeSpan retention, LeaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentNullException.ThrowIfNull(job);
        var key = LeaseKey.Job(job.Job.ToString());
        return LeaseRule.ForJob(job, now, retention, settings) is { } due
            ? leases.SetAsync(key, due, CancellationToken.None)
            : leases.RemoveAsync(key, CancellationToken.None);
    }
}
