using System.Collections.Immutable;

namespace Federation.Lifecycle.Shares;

/// <summary>
/// How a nation shares its accelerators (<c>Federation:Shares</c>): the fair-share model's half-life
/// and floor, the local users' priority, consortium quotas and the student tier's limits. Check with
/// <see cref="Validate"/> before use.
/// </summary>
public sealed record ShareSettings
{
    /// <summary>Usage with no new charges halves after this (Slurm's <c>PriorityDecayHalfLife</c>); 7 days by default.</summary>
    public TimeSpan HalfLife { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Every member nation's guaranteed entitlement, a fraction of the federation (0 to 1/members); 0.05 by default.</summary>
    public double MinimumShare { get; init; } = 0.05;

    /// <summary>Added to this nation's own users' fair-share factor when ranking (0 to 1); 0.25 by default.</summary>
    public double LocalPriority { get; init; } = 0.25;

    /// <summary>
    /// A foreign job whose nation's factor is below this is refused (<see cref="ShareRules.FairShare"/>)
    /// when it would have to queue here; idle accelerators may still be borrowed. 0.25 refuses a nation that
    /// used twice its entitlement. 0 by default: fair share then only ranks work and marks borrowed runs.
    /// </summary>
    public double RefuseBelowFactor { get; init; }

    /// <summary>Consortium quotas: the largest fraction of this nation's accelerators one consortium's jobs may hold while others wait.</summary>
    public ImmutableDictionary<string, double> ConsortiumQuotas { get; init; } = ImmutableDictionary<string, double>.Empty;

    /// <summary>A consortium over its quota may still borrow accelerators that are idle now; such runs are reclaimable. True by default.</summary>
    public bool BorrowIdle { get; init; } = true;

    /// <summary>The student tier's guaranteed fraction of this nation's accelerators (0 to 1); 0.05 by default, at least one accelerator when there are any.</summary>
    public double StudentQuota { get; init; } = 0.05;

    /// <summary>The longest walltime of a student-tier job; 2 hours by default.</summary>
    public TimeSpan StudentMaxWalltime { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Accelerators one student may hold at once; 2 by default.</summary>
    public int StudentMaxPerUser { get; init; } = 2;

    /// <summary>Accelerators one course (the student tier's project) may hold at once; 8 by default.</summary>
    public int StudentMaxPerCourse { get; init; } = 8;

    /// <summary>How long a borrower's run has to give its accelerators back once reclaimed (checkpoint signal, then requeue); 5 minutes by default.</summary>
    public TimeSpan ReclaimGrace { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a reclaimed run's workload has, once signalled to checkpoint (SIGUSR1), before it is stopped and
    /// requeued; 30 seconds by default. Zero stops it at once, with no signal. Less than <see cref="ReclaimGrace"/>
    /// (unless zero), since every reclaimed accelerator must be back within that.
    /// </summary>
    public TimeSpan CheckpointGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long after a reclaim's accelerators are back nothing is lent yet (rule <see cref="ShareRules.Reclaim"/>), so that the
    /// owner's offer, which its origin retries every few seconds, takes them and not the next borrower; 1 minute by default.
    /// </summary>
    public TimeSpan ReclaimHold { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Which borrowed runs are reclaimed first.</summary>
    public ReclaimOrder ReclaimOrder { get; init; } = ReclaimOrder.NewestFirst;

    /// <summary>How reclaimed runs give their accelerators back: checkpoint signal and requeue within the grace (the default), or drain at walltime.</summary>
    public ReclaimPolicy ReclaimPolicy { get; init; } = ReclaimPolicy.CheckpointAndRequeue;

    /// <summary>Every rule these settings break, each naming <c>Federation:Shares:Property</c>; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        const string prefix = "Federation:Shares:";
        if (HalfLife <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}HalfLife must be more than zero, got {HalfLife}");
        }

        Fraction(MinimumShare, "MinimumShare", errors);
        Fraction(LocalPriority, "LocalPriority", errors);
        Fraction(RefuseBelowFactor, "RefuseBelowFactor", errors);
        Fraction(StudentQuota, "StudentQuota", errors);
        foreach (var (consortium, quota) in ConsortiumQuotas)
        {
            Fraction(quota, $"ConsortiumQuotas:{consortium}", errors);
        }

        if (StudentMaxWalltime <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}StudentMaxWalltime must be more than zero, got {StudentMaxWalltime}");
        }

        if (StudentMaxPerUser < 1 || StudentMaxPerCourse < StudentMaxPerUser)
        {
            errors.Add($"{prefix}StudentMaxPerUser must be at least 1 and StudentMaxPerCourse at least StudentMaxPerUser, got {StudentMaxPerUser} and {StudentMaxPerCourse}");
        }

        if (ReclaimGrace < TimeSpan.Zero)
        {
            errors.Add($"{prefix}ReclaimGrace must not be negative, got {ReclaimGrace}");
        }

        if (CheckpointGrace < TimeSpan.Zero || (CheckpointGrace > TimeSpan.Zero && CheckpointGrace >= ReclaimGrace))
        {
            errors.Add($"{prefix}CheckpointGrace must be 0 or more and, unless 0, less than {prefix}ReclaimGrace ({ReclaimGrace}): a reclaimed run is stopped after it and must be gone within the reclaim grace, got {CheckpointGrace}");
        }

        if (ReclaimHold < TimeSpan.Zero || ReclaimHold > TimeSpan.FromDays(1))
        {
            errors.Add($"{prefix}ReclaimHold must be 0 to 1 day, got {ReclaimHold}");
        }

        return errors;

        static void Fraction(double value, string property, List<string> errors)
        {
            if (!double.IsFinite(value) || value is < 0 or > 1)
            {
                errors.Add(FormattableString.Invariant($"{prefix}{property} must be 0 to 1, got {value}"));
            }
        }
    }
}
