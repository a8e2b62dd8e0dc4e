using System.Collections.Immutable;
using Federation.Lifecycle.Shares;

namespace Federation.Silo.Shares;

/// <summary>How this nation shares its accelerators (<c>Federation:Shares</c>); see docs/fair-share.md. Defaults from <see cref="ShareSettings"/>.</summary>
public sealed class ShareOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Shares";

    private static readonly ShareSettings s_defaults = new();

    /// <summary>False turns the share rules off: admission neither applies them nor charges the ledger (<c>GET /api/v1/shares</c> stays). True by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Usage half-life in hours (Slurm's <c>PriorityDecayHalfLife</c>); 168 (7 days) by default.</summary>
    public double HalfLifeHours { get; set; } = s_defaults.HalfLife.TotalHours;

    /// <summary>Every member nation's guaranteed entitlement, a fraction of the federation.</summary>
    public double MinimumShare { get; set; } = s_defaults.MinimumShare;

    /// <summary>Added to this nation's own users' fair-share factor when ranking (0 to 1).</summary>
    public double LocalPriority { get; set; } = s_defaults.LocalPriority;

    /// <summary>A foreign nation whose factor is below this is refused (<c>fair-share</c>) when its job would queue; 0 (the default) never refuses.</summary>
    public double RefuseBelowFactor { get; set; } = s_defaults.RefuseBelowFactor;

    /// <summary>Consortium quotas: consortium name → the largest fraction of this nation's accelerators it may hold while others wait.</summary>
    public Dictionary<string, double> ConsortiumQuotas { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether work over its quota or share may borrow accelerators idle now (reclaimable).</summary>
    public bool BorrowIdle { get; set; } = s_defaults.BorrowIdle;

    /// <summary>The student tier's guaranteed fraction of this nation's accelerators, rounded down.</summary>
    public double StudentQuota { get; set; } = s_defaults.StudentQuota;

    /// <summary>The longest walltime of a student-tier job, minutes.</summary>
    public double StudentMaxWalltimeMinutes { get; set; } = s_defaults.StudentMaxWalltime.TotalMinutes;

    /// <summary>Accelerators one student may hold at once.</summary>
    public int StudentMaxPerUser { get; set; } = s_defaults.StudentMaxPerUser;

    /// <summary>Accelerators one course may hold at once.</summary>
    public int StudentMaxPerCourse { get; set; } = s_defaults.StudentMaxPerCourse;

    /// <summary>Seconds a reclaimed borrower has to give its accelerators back.</summary>
    public double ReclaimGraceSeconds { get; set; } = s_defaults.ReclaimGrace.TotalSeconds;

    /// <summary>Seconds a reclaimed run's workload has to checkpoint after SIGUSR1 before it is stopped; 30 by default, 0 stops it at once, otherwise less than <see cref="ReclaimGraceSeconds"/>.</summary>
    public double CheckpointGraceSeconds { get; set; } = s_defaults.CheckpointGrace.TotalSeconds;

    /// <summary>Seconds after a reclaim's accelerators are back during which nothing is lent yet (the hold); 60 by default, at most a day.</summary>
    public double ReclaimHoldSeconds { get; set; } = s_defaults.ReclaimHold.TotalSeconds;

    /// <summary>Which borrowed runs are reclaimed first.</summary>
    public ReclaimOrder ReclaimOrder { get; set; } = s_defaults.ReclaimOrder;

    /// <summary>How reclaimed runs give their accelerators back: <c>CheckpointAndRequeue</c> or <c>DrainAtWalltime</c>.</summary>
    public ReclaimPolicy ReclaimPolicy { get; set; } = s_defaults.ReclaimPolicy;

    /// <summary>How often this nation sends every peer a signed report of the usage it ran per origin nation and consortium; 5 minutes by default, 1 second to 1 day.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The courses registered here, by id (a slug).</summary>
    public Dictionary<string, CourseOptions> Courses { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The pure settings these options state.</summary>
    public ShareSettings ToSettings() => new()
    {
        HalfLife = TimeSpan.FromHours(HalfLifeHours),
        MinimumShare = MinimumShare,
        LocalPriority = LocalPriority,
        RefuseBelowFactor = RefuseBelowFactor,
        ConsortiumQuotas = ConsortiumQuotas.ToImmutableDictionary(StringComparer.Ordinal),
        BorrowIdle = BorrowIdle,
        StudentQuota = StudentQuota,
        StudentMaxWalltime = TimeSpan.FromMinutes(StudentMaxWalltimeMinutes),
        StudentMaxPerUser = StudentMaxPerUser,
        StudentMaxPerCourse = StudentMaxPerCourse,
        ReclaimGrace = TimeSpan.FromSeconds(ReclaimGraceSeconds),
        CheckpointGrace = TimeSpan.FromSeconds(CheckpointGraceSeconds),
        ReclaimHold = TimeSpan.FromSeconds(ReclaimHoldSeconds),
        ReclaimOrder = ReclaimOrder,
        ReclaimPolicy = ReclaimPolicy,
    };
}
