using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Jobs;

namespace Federation.Lifecycle.Shares;

/// <summary>
/// Which borrowed runs give accelerators back when an owner's demand arrives, and by when: only
/// borrowed runs are candidates, until the demand is covered. Under
/// <see cref="ReclaimPolicy.CheckpointAndRequeue"/> they are taken in <see cref="ShareSettings.ReclaimOrder"/>;
/// a run whose walltime ends within <see cref="ShareSettings.ReclaimGrace"/> drains, the others are
/// signalled to checkpoint and requeued and must be gone by now + the grace: every reclaimed
/// accelerator is back within the grace. Under <see cref="ReclaimPolicy.DrainAtWalltime"/> the
/// soonest-ending runs are taken and every one drains: back by the latest walltime end of those taken.
/// </summary>
public static class Reclaim
{
    /// <summary>
    /// What the admission of <paramref name="job"/> (its share <paramref name="verdict"/> on <paramref name="facts"/>) reclaims
    /// at <paramref name="now"/>: null unless the job is an owner's demand (admitted within its shares, not borrowed) that
    /// must wait because fewer accelerators are free than it wants, and borrowed runs hold what it lacks. What
    /// <paramref name="returning"/> accelerators already coming back cover is not reclaimed twice (an owner's offer retried).
    /// </summary>
    public static ReclaimDecision? OnDemand(ShareRequest job, ShareVerdict verdict, ShareFacts facts, IEnumerable<HeldRun> runs, int returning, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(runs);
        var needed = job.Accelerators - Math.Max(0, facts.Free) - Math.Max(0, returning);
        if (!MayReclaim(job, verdict, facts) || needed <= 0)
        {
            return null;
        }

        var steps = Plan(runs, needed, now, facts);
        if (steps.IsEmpty)
        {
            return null;
        }

        var backBy = steps.Max(s => s.ReturnBy);
        var who = job.Consortium is { Length: > 0 } consortium ? $"{job.Origin} (consortium {consortium})" : job.Tier == JobTier.Student ? $"{job.Origin} (student tier)" : job.Origin;
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"reclaimed: {who} needs {job.Accelerators} accelerators within its shares and {Math.Max(0, facts.Free)} are free; {steps.Sum(s => s.Run.Accelerators)} borrowed accelerators go back ({facts.Settings.ReclaimPolicy}), all by {backBy:yyyy-MM-ddTHH:mm:ssZ}");
        return new(needed, steps, new ReclaimHold(steps.Sum(s => s.Run.Accelerators), backBy + facts.Settings.ReclaimHold), reason);
    }

    /// <summary>
    /// False when <see cref="OnDemand"/> reclaims nothing whatever runs are borrowed: the job is no owner's demand (refused
    /// or borrowed) or as many accelerators as it wants are free. The caller then need not read the borrowed runs.
    /// </summary>
    public static bool MayReclaim(ShareRequest job, ShareVerdict verdict, ShareFacts facts)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(facts);
        return verdict.Admitted && !verdict.Borrowed && job.Accelerators > Math.Max(0, facts.Free);
    }

    /// <summary>What the give-back of <paramref name="step"/> tells the run's origin (it starts with <c>reclaimed</c>).</summary>
    public static string GiveBackReason(ReclaimDecision decision, ReclaimStep step)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(step);
        return step.Requeue
            ? string.Create(CultureInfo.InvariantCulture, $"{decision.Reason}; this run was signalled to checkpoint and is requeued, its {step.Run.Accelerators} accelerators back by {step.ReturnBy:yyyy-MM-ddTHH:mm:ssZ}")
            : string.Create(CultureInfo.InvariantCulture, $"{decision.Reason}; this run drains at the end of its walltime, {step.ReturnBy:yyyy-MM-ddTHH:mm:ssZ}");
    }

    /// <summary>The hold in force at <paramref name="now"/> (the holds' accelerators summed, until the latest end), or null when none is.</summary>
    public static ReclaimHold? Active(IEnumerable<ReclaimHold> holds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(holds);
        var active = holds.Where(h => h.Until > now && h.Accelerators > 0).ToList();
        return active.Count == 0 ? null : new ReclaimHold(active.Sum(h => h.Accelerators), active.Max(h => h.Until));
    }

    /// <summary>The steps that free <paramref name="needed"/> accelerators from <paramref name="runs"/> at <paramref name="now"/>; fewer when the borrowed runs hold less.</summary>
    public static ImmutableArray<ReclaimStep> Plan(IEnumerable<HeldRun> runs, int needed, DateTimeOffset now, ShareFacts facts)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(facts);
        var borrowed = runs.Where(r => r.Borrowed);
        var drainAll = facts.Settings.ReclaimPolicy == ReclaimPolicy.DrainAtWalltime;
        var ordered = drainAll
            ? borrowed.OrderBy(r => r.EndsBy)
            : facts.Settings.ReclaimOrder == ReclaimOrder.MostOverShareFirst
                ? borrowed.OrderBy(r => facts.FactorOf(r.Nation)).ThenByDescending(r => r.StartedAt)
                : borrowed.OrderByDescending(r => r.StartedAt);
        var steps = ImmutableArray.CreateBuilder<ReclaimStep>();
        var freed = 0;
        foreach (var run in ordered.ThenBy(r => r.Holder, StringComparer.Ordinal))
        {
            if (freed >= needed)
            {
                break;
            }

            var drains = drainAll || run.EndsBy <= now + facts.Settings.ReclaimGrace;
            steps.Add(new(run, !drains, drains ? (run.EndsBy > now ? run.EndsBy : now) : now + facts.Settings.ReclaimGrace));
            freed += run.Accelerators;
        }

        return steps.ToImmutable();
    }
}
