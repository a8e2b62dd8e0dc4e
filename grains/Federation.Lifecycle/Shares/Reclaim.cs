using System.Collections.Immutable;

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
