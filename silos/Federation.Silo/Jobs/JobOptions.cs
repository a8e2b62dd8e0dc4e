using Federation.Grains.Jobs;

namespace Federation.Silo.Jobs;

/// <summary>
/// Job timing across borders (section <c>Federation:Jobs</c>), checked by <see cref="JobOptionsValidator"/>.
/// The defaults are <see cref="JobSettings"/>'s, so they are written once.
/// </summary>
public sealed class JobOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Jobs";

    private static readonly JobSettings s_defaults = new();

    /// <summary>Lease an executing nation holds a job under, seconds (1 to 3600).</summary>
    public double LeaseSeconds { get; set; } = s_defaults.Lease.TotalSeconds;

    /// <summary>Grace after a lease expires before the origin re-routes, seconds (0 to 3600).</summary>
    public double GraceSeconds { get; set; } = s_defaults.Grace.TotalSeconds;

    /// <summary>How long before its lease ends an executing nation stops a run it could not renew, seconds (less than the lease).</summary>
    public double MarginSeconds { get; set; } = s_defaults.Margin.TotalSeconds;

    /// <summary>How often a pending job is planned again, seconds (0.1 to 3600).</summary>
    public double ReplanSeconds { get; set; } = s_defaults.ReplanInterval.TotalSeconds;

    /// <summary>How long finished jobs are kept, days (more than 0, at most 3650).</summary>
    public double RetentionDays { get; set; } = s_defaults.Retention.TotalDays;

    /// <summary>Whether a job whose executing nation lost its lease is re-routed with the next epoch (true) or failed (false).</summary>
    public bool RequeueOnLeaseLoss { get; set; } = s_defaults.RequeueOnLeaseLoss;

    /// <summary>Offer attempts that fail to reach a nation before the next one is tried (1 to 100).</summary>
    public int OfferAttempts { get; set; } = s_defaults.OfferAttempts;

    /// <summary>The settings the grains read (after <see cref="JobOptionsValidator"/> has passed).</summary>
    public JobSettings ToSettings() => s_defaults with
    {
        Lease = TimeSpan.FromSeconds(LeaseSeconds),
        Grace = TimeSpan.FromSeconds(GraceSeconds),
        Margin = TimeSpan.FromSeconds(MarginSeconds),
        ReplanInterval = TimeSpan.FromSeconds(ReplanSeconds),
        Retention = TimeSpan.FromDays(RetentionDays),
        OfferAttempts = OfferAttempts,
        RequeueOnLeaseLoss = RequeueOnLeaseLoss,
    };
}
