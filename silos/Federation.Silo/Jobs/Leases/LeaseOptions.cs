using Federation.Grains.Jobs.Leases;

namespace Federation.Silo.Jobs.Leases;

/// <summary>
/// Timing of the lease index's sweeper (section <c>Federation:Leases</c>), checked by
/// <see cref="LeaseOptionsValidator"/>. The defaults are <see cref="LeaseSettings"/>'s.
/// </summary>
public sealed class LeaseOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Leases";

    private static readonly LeaseSettings s_defaults = new();

    /// <summary>How long after it was written or claimed a live grain's entry is due, seconds (1 to 3600): the backstop for an activation lost unseen.</summary>
    public double RecheckSeconds { get; set; } = s_defaults.Recheck.TotalSeconds;

    /// <summary>How long after a failed wake the sweeper tries it again, seconds (1 to 3600).</summary>
    public double WakeRetrySeconds { get; set; } = s_defaults.WakeRetry.TotalSeconds;

    /// <summary>How often the nation's sweeper wakes the due entries, seconds (1 to 3600).</summary>
    public double SweepSeconds { get; set; } = s_defaults.SweepEvery.TotalSeconds;

    /// <summary>The settings the grains read (after <see cref="LeaseOptionsValidator"/> has passed).</summary>
    public LeaseSettings ToSettings() => s_defaults with
    {
        Recheck = TimeSpan.FromSeconds(RecheckSeconds),
        WakeRetry = TimeSpan.FromSeconds(WakeRetrySeconds),
        SweepEvery = TimeSpan.FromSeconds(SweepSeconds),
    };
}
