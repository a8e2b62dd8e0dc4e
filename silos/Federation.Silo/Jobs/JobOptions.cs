using Federation.Grains.Jobs;

namespace Federation.Silo.Jobs;

/// <summary>Job timing, admission rules and the simulated executor, from configuration.</summary>
public sealed class JobOptions
{
    /// <summary>Section of the lease and retention settings.</summary>
    public const string Section = "Federation:Jobs";

    /// <summary>Lease an executing nation holds a job under, seconds.</summary>
    public double LeaseSeconds { get; set; } = 30;

    /// <summary>Grace after a lease expires before the origin re-routes, seconds.</summary>
    public double GraceSeconds { get; set; } = 15;

    /// <summary>How long before its lease ends an executing nation stops a run it could not renew, seconds.</summary>
    public double MarginSeconds { get; set; } = 5;

    /// <summary>How often a pending job is planned again, seconds.</summary>
    public double ReplanSeconds { get; set; } = 5;

    /// <summary>How long finished jobs are kept, days.</summary>
    public double RetentionDays { get; set; } = 30;

    /// <summary>Offer attempts that fail to reach a nation before the next one is tried.</summary>
    public int OfferAttempts { get; set; } = 3;

    /// <summary>Whether a job whose executing nation lost its lease is re-routed with the next epoch (true) or failed (false).</summary>
    public bool RequeueOnLeaseLoss { get; set; } = true;

    /// <summary>The settings, after checking them.</summary>
    /// <exception cref="InvalidOperationException">A value is out of range.</exception>
    public JobSettings ToSettings()
    {
        Require(LeaseSeconds is >= 1 and <= 3600, "LeaseSeconds must be 1 to 3600");
        Require(GraceSeconds is >= 0 and <= 3600, "GraceSeconds must be 0 to 3600");
        Require(MarginSeconds >= 0 && MarginSeconds < LeaseSeconds, "MarginSeconds must be 0 or more and less than LeaseSeconds");
        Require(ReplanSeconds is >= 0.1 and <= 3600, "ReplanSeconds must be 0.1 to 3600");
        Require(RetentionDays is > 0 and <= 3650, "RetentionDays must be more than 0 and at most 3650");
        Require(OfferAttempts is >= 1 and <= 100, "OfferAttempts must be 1 to 100");
        return new JobSettings
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

    private static void Require(bool condition, string rule)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{Section}: {rule}.");
        }
    }
}
