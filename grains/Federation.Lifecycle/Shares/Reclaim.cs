using System.Collections.Immutable;

namespace Federation.Lifecycle.Shares;

/// <summary>
/// Which borrowed runs give accelerators back when an owner's demand arrives, and by when: only
/// borrowed runs are candidates, in <see cref="ShareSettings.ReclaimOrder"/>, until the demand is
/// covered. A run whose walltime ends within <see cref="ShareSettings.ReclaimGrace"/> drains; the
/// others are signalled to checkpoint and requeued, and must be gone by now + the grace. So every
/// reclaimed accelerator is back within the grace.
/// </summary>
public static class Reclaim
{
    /// <summary>The steps that free <paramref name="needed"/> accelerators from <paramref name="runs"/> at <paramref name="now"/>; fewer when the borrowed runs hold less.</summary>
    public static ImmutableArray<ReclaimStep> Plan(IEnumerable<HeldRun> runs, int needed, DateTimeOffset now, ShareFacts facts)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(facts);
        var borrowed = runs.Where(r => r.Borrowed);
        var ordered = facts.Settings.ReclaimOrder == ReclaimOrder.MostOverShareFirst
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

            var drains = run.EndsBy <= now + facts.Settings.ReclaimGrace;
            steps.Add(new(run, !drains, drains ? (run.EndsBy > now ? run.EndsBy : now) : now + facts.Settings.ReclaimGrace));
            freed += run.Accelerators;
        }

        return steps.ToImmutable();
    }
}
