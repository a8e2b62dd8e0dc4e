namespace Federation.Lifecycle.Jobs;

/// <summary>The timings and limits <see cref="JobLifecycle"/> decides with (the host's job settings).</summary>
public sealed record JobLifecycleSettings
{
    /// <summary>How long an executing nation holds a job without renewing.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after a lease expires the origin waits before it re-routes (or fails) the job.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a pending job is planned again.</summary>
    public TimeSpan ReplanInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an awaited plan may take before it is requested again (its answer was lost).</summary>
    public TimeSpan PlanTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a lost lease re-routes the job (true) or fails it (false).</summary>
    public bool RequeueOnLeaseLoss { get; init; } = true;

    /// <summary>Offer attempts that fail to reach a nation before the next candidate is tried.</summary>
    public int OfferAttempts { get; init; } = 3;

    /// <summary>
    /// Whether reports of an epoch that is not the job's current one are refused (<c>stale-epoch</c>).
    /// True in every nation; false only in the protocol simulation, which must catch it.
    /// </summary>
    public bool FenceStaleReports { get; init; } = true;

    /// <summary>Events kept per job (the oldest are dropped).</summary>
    public int MaxEvents { get; init; } = 2000;
}
