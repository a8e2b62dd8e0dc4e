using Federation.Lifecycle.Jobs;

namespace Federation.Grains.Jobs;

/// <summary>Timing of jobs across borders (section <c>Federation:Jobs</c>), registered by the host.</summary>
public sealed record JobSettings
{
    /// <summary>How long an executing nation holds a job without renewing.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after a lease expires the origin waits before it re-routes the job.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long before its lease runs out an executing nation stops a run it could not renew.</summary>
    public TimeSpan Margin { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a pending job is planned again (adverts may have changed).</summary>
    public TimeSpan ReplanInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long finished jobs are kept.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Whether the origin re-routes a job whose lease was lost (else the job fails, and its event says why).</summary>
    public bool RequeueOnLeaseLoss { get; init; } = true;

    /// <summary>Offer attempts that fail to reach a nation before the origin tries the next one.</summary>
    public int OfferAttempts { get; init; } = 3;

    /// <summary>How often the executing nation renews its lease.</summary>
    public TimeSpan RenewEvery => Lease / 3;

    /// <summary>The settings <see cref="JobLifecycle"/> decides with in this nation.</summary>
    public JobLifecycleSettings Lifecycle() => new()
    {
        Lease = Lease,
        Grace = Grace,
        ReplanInterval = ReplanInterval,
        RequeueOnLeaseLoss = RequeueOnLeaseLoss,
        OfferAttempts = OfferAttempts,
    };
}
