using System.Collections.Immutable;

namespace Federation.Lifecycle.Shares;

/// <summary>
/// What the share rules decide on: the settings, the federation's entitlements and decayed usage
/// (this nation's ledger plus the usage reports of its peers), and what is held here now.
/// </summary>
public sealed record ShareFacts
{
    /// <summary>The nation's share settings.</summary>
    public required ShareSettings Settings { get; init; }

    /// <summary>Each nation's entitlement (fractions summing to 1), from contributions.</summary>
    public ImmutableSortedDictionary<string, double> Entitlements { get; init; } = ImmutableSortedDictionary<string, double>.Empty;

    /// <summary>Each nation's decayed usage over the federation, accelerator-hours.</summary>
    public ImmutableSortedDictionary<string, double> Usage { get; init; } = ImmutableSortedDictionary<string, double>.Empty;

    /// <summary>Accelerators in service here.</summary>
    public int Total { get; init; }

    /// <summary>Accelerators free here now.</summary>
    public int Free { get; init; }

    /// <summary>Accelerators held here now per consortium.</summary>
    public ImmutableDictionary<string, int> ConsortiumHeld { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>Accelerators held here now by student-tier jobs.</summary>
    public int StudentHeld { get; init; }

    /// <summary>Accelerators held here now by the job's owner in the student tier.</summary>
    public int StudentUserHeld { get; init; }

    /// <summary>Accelerators held here now by student-tier jobs of the job's course.</summary>
    public int StudentCourseHeld { get; init; }

    /// <summary>Whether the job's course is registered here; null when not checked here (a foreign student job: its origin checked it).</summary>
    public bool? CourseRegistered { get; init; }

    /// <summary>Accelerators being reclaimed for owners now (<see cref="Reclaim.Active"/>): while set, nothing is lent; null when no reclaim is under way.</summary>
    public ReclaimHold? Reclaiming { get; init; }

    /// <summary>The fair-share factor of <paramref name="nation"/>: 2^(−U/S) over the federation's usage.</summary>
    public double FactorOf(string nation) =>
        FairShare.Factor(Usage.GetValueOrDefault(nation), Usage.Values.Sum(), Entitlements.GetValueOrDefault(nation));

    /// <summary>
    /// Whether research jobs must leave the student tier's unused quota free: true by default; the silo
    /// sets it only when the nation registers courses, so that a nation without students keeps no reserve.
    /// </summary>
    public bool HoldsStudentReserve { get; init; } = true;

    /// <summary>The accelerators guaranteed to the student tier: <see cref="ShareSettings.StudentQuota"/> of the total, rounded down.</summary>
    public int StudentReserve => (int)Math.Floor(Settings.StudentQuota * Total);
}
