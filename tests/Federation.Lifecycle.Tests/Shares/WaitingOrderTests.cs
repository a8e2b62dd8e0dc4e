using System.Collections.Immutable;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Shares;

namespace Federation.Lifecycle.Tests.Shares;

public sealed class WaitingOrderTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    // This nation is FR. Usage 1500 acc-h: FR 500 (1/3 against 0.5), DE 900 (0.6 against 0.3), SE 100 (1/15 against 0.2).
    private static ShareFacts Facts() => new()
    {
        Settings = new ShareSettings { StudentQuota = 0.1, ConsortiumQuotas = ImmutableDictionary<string, double>.Empty.Add("climate", 0.5).Add("health", 0.5) },
        Entitlements = ImmutableSortedDictionary<string, double>.Empty.Add("FR", 0.5).Add("DE", 0.3).Add("SE", 0.2),
        Usage = ImmutableSortedDictionary<string, double>.Empty.Add("FR", 500).Add("DE", 900).Add("SE", 100),
        Total = 40,
        Free = 0,
    };

    private static ShareRequest Job(string origin, int count = 4, string? consortium = null, JobTier tier = JobTier.Standard) =>
        new(origin, origin == "FR", "uni:alice", consortium, tier, tier == JobTier.Student ? "ml-101" : null, count, TimeSpan.FromHours(1));

    private static WaitingRun Run(string holder, ShareRequest job, ShareFacts? facts, int arrivedSeconds, params string[] models) =>
        new(holder, [.. models.Length == 0 ? ["h100-sxm"] : models], job.Accelerators, WaitingOrder.RankOf(job, facts), s_t0.AddSeconds(arrivedSeconds));

    private static string[] Holders(IEnumerable<WaitingRun> runs) => [.. WaitingOrder.Order(runs).Select(r => r.Holder)];

    [Fact]
    public void Order_SeveralNations_FollowsTheFactorAndLocalPriorityNotArrival()
    {
        var facts = Facts();

        // Arrived DE, SE, FR: DE over its share (factor 2^-2 = 0.25), SE under it (2^-1/3 ≈ 0.79), FR's own user 2^-2/3 + 0.25 ≈ 0.88.
        var order = Holders([Run("de", Job("DE"), facts, 0), Run("se", Job("SE"), facts, 10), Run("fr", Job("FR"), facts, 20)]);

        Assert.Equal(["fr", "se", "de"], order);
        Assert.Equal(0.25, WaitingOrder.RankOf(Job("DE"), facts).Priority, 9);
    }

    [Fact]
    public void Order_AConsortiumOverItsQuota_RanksAfterWorkWithinItsShares_WhateverTheFactor()
    {
        // climate holds 20 of 40 (its quota): one more climate run would be over it.
        var facts = Facts() with { ConsortiumHeld = ImmutableDictionary<string, int>.Empty.Add("climate", 20) };

        var order = Holders([Run("fr-climate", Job("FR", consortium: "climate"), facts, 0), Run("de-health", Job("DE", consortium: "health"), facts, 5)]);

        Assert.Equal(["de-health", "fr-climate"], order);
        Assert.Equal(WaitingOrder.OverQuota, WaitingOrder.RankOf(Job("FR", consortium: "climate"), facts).Band);
    }

    [Fact]
    public void Order_StudentBeyondTheTiersQuota_RanksLast_WithinItFirstByItsFactor()
    {
        // The reserve is 4 of 40; 3 held: a student run of 1 is within it, one of 2 is beyond it.
        var facts = Facts() with { StudentHeld = 3 };

        var order = Holders([
            Run("student-2", Job("FR", 2, tier: JobTier.Student), facts, 0),
            Run("de", Job("DE"), facts, 1),
            Run("student-1", Job("FR", 1, tier: JobTier.Student), facts, 2),
            Run("climate-over", Job("SE", consortium: "climate"), facts with { ConsortiumHeld = ImmutableDictionary<string, int>.Empty.Add("climate", 20) }, 3),
        ]);

        Assert.Equal(["student-1", "de", "climate-over", "student-2"], order);
    }

    [Fact]
    public void Order_EqualRanks_ByArrival_AndWithoutShareFactsByArrivalOnly()
    {
        var facts = Facts();

        Assert.Equal(["se-early", "se-late"], Holders([Run("se-late", Job("SE"), facts, 30), Run("se-early", Job("SE"), facts, 10)]));
        Assert.Equal(["de", "se", "fr"], Holders([Run("fr", Job("FR"), null, 20), Run("de", Job("DE"), null, 0), Run("se", Job("SE"), null, 10)]));
    }

    [Fact]
    public void FreeFor_TheFirstInLineTakesWhatIsFree_LaterRunsOnlyWhatIsLeftForTheirModel()
    {
        var facts = Facts();
        var fr = Run("fr", Job("FR", 4), facts, 20);
        var se = Run("se", Job("SE", 2), facts, 10, "h100-sxm", "l4");
        var de = Run("de", Job("DE", 2), facts, 0, "h100-sxm");
        var l4Only = Run("de-l4", Job("DE", 1), facts, 0, "l4");
        WaitingRun[] line = [fr, se, de, l4Only];

        Assert.Equal(4, WaitingOrder.FreeFor(fr, "h100-sxm", 4, line));
        Assert.Equal(0, WaitingOrder.FreeFor(se, "h100-sxm", 4, line));
        Assert.Equal(2, WaitingOrder.FreeFor(se, "h100-sxm", 6, line));
        Assert.Equal(0, WaitingOrder.FreeFor(de, "h100-sxm", 6, line));
        Assert.Equal(3, WaitingOrder.FreeFor(l4Only, "l4", 5, line)); // only se, ahead and able to use l4, counts
        Assert.Equal(1, WaitingOrder.FreeFor(de, "h100-sxm", 7, [.. line, Run("de-late", Job("DE", 8), facts, 50)]));
    }

    [Fact]
    public void SlurmNice_RanksOfEveryKind_KeepTheWaitingOrderAndAreNeverNegative()
    {
        var facts = Facts() with { ConsortiumHeld = ImmutableDictionary<string, int>.Empty.Add("climate", 20) };
        var jobs = new[]
        {
            Job("FR"), Job("DE"), Job("SE"), Job("FR", consortium: "climate"), Job("DE", consortium: "climate"),
            Job("SE", tier: JobTier.Student), Job("FR", count: 8, tier: JobTier.Student), Job("DE", consortium: "health"),
        };
        var runs = jobs.Select((j, i) => Run($"run-{i}", j, facts, 0)).ToList();

        // Slurm runs the lower nice value first: sorting by it keeps the line's order (ties only where the ranks tie).
        var byNice = runs.OrderBy(r => WaitingOrder.SlurmNice(r.Rank)).ThenBy(r => r.Holder, StringComparer.Ordinal).Select(r => r.Holder);
        Assert.Equal(Holders(runs), byNice);
        Assert.All(runs, r => Assert.InRange(WaitingOrder.SlurmNice(r.Rank), 0, 3 * WaitingOrder.SlurmNicePerBand));
        Assert.Equal(0, WaitingOrder.SlurmNice(new WaitRank(WaitingOrder.WithinShares, 2)));
        Assert.Equal(2000, WaitingOrder.SlurmNice(new WaitRank(WaitingOrder.WithinShares, double.PositiveInfinity)));
        Assert.Equal(WaitingOrder.SlurmNicePerBand + 2000, WaitingOrder.SlurmNice(new WaitRank(WaitingOrder.OverQuota, -1)));
    }

    [Fact]
    public void Ahead_CountsOnlyRunsRankedAheadThatCanUseAModelItCanUse()
    {
        var facts = Facts();
        var se = Run("se", Job("SE"), facts, 0);
        var fr = Run("fr", Job("FR"), facts, 10);
        var frOtherModel = Run("fr-l4", Job("FR"), facts, 5, "l4");
        var de = Run("de", Job("DE"), facts, 20, "h100-sxm", "l4");
        var waiting = new[] { se, fr, frOtherModel, de };

        Assert.Equal(0, WaitingOrder.Ahead(fr, waiting));
        Assert.Equal(1, WaitingOrder.Ahead(se, waiting));
        Assert.Equal(3, WaitingOrder.Ahead(de, waiting));
        Assert.Equal(0, WaitingOrder.Ahead(frOtherModel, waiting));
    }
}
