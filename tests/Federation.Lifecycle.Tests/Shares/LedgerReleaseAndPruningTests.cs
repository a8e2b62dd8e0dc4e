using Federation.Contracts.Jobs;
using Federation.Lifecycle.Shares;

namespace Federation.Lifecycle.Tests.Shares;

/// <summary>The pure rules of a run's release (its charge cut where it ended, nothing reported contradicted) and of pruning the ledger's old rows.</summary>
public sealed class LedgerReleaseAndPruningTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_halfLife = TimeSpan.FromHours(24);
    private static readonly UsageAccount s_fr = new("FR", "climate", JobTier.Standard);

    private static UsageCharge Charge(double hours, int accelerators, double walltimeHours, double startHours = 0) =>
        new("FR/a#1", s_fr, hours, accelerators, s_t0.AddHours(startHours), s_t0.AddHours(startHours + walltimeHours));

    [Fact]
    public void ReleasedAt_CutsTheChargeWhereTheRunEnded_AndEveryEarlierPeriodDeliversWhatItDid()
    {
        var charge = Charge(20, 2, 10);             // 2 acc-h per hour for 10 h

        var released = charge.ReleasedAt(s_t0.AddHours(1.5));

        Assert.Equal(3, released.Hours, 9);
        Assert.Equal(s_t0.AddHours(1.5), released.EndsBy);
        Assert.Equal(charge.DeliveredIn(s_t0, s_t0.AddHours(1)), released.DeliveredIn(s_t0, s_t0.AddHours(1)), 9);
        Assert.Equal(charge.DeliveredIn(s_t0.AddHours(1), s_t0.AddHours(1.5)), released.DeliveredIn(s_t0.AddHours(1), s_t0.AddHours(1.5)), 9);
        Assert.Equal(0, released.DeliveredIn(s_t0.AddHours(1.5), s_t0.AddHours(10)));
        var reported = UsageReports.Report("FR", [charge], s_t0, s_t0.AddHours(1));
        Assert.Equal(reported.Lines.ToArray(), UsageReports.Report("FR", [released], s_t0, s_t0.AddHours(1)).Lines.ToArray());
    }

    [Fact]
    public void ReleasedAt_AnEstimateAboveWhatTheAcceleratorsDeliver_KeepsTheirRate()
    {
        var released = Charge(100, 1, 10).ReleasedAt(s_t0.AddHours(2));

        Assert.Equal(2, released.Hours, 9);
    }

    [Fact]
    public void ReleasedAt_AtOrAfterTheWalltime_KeepsTheWholeCharge_AndBeforeTheChargeNothing()
    {
        var charge = Charge(20, 2, 10);

        Assert.Same(charge, charge.ReleasedAt(s_t0.AddHours(10)));
        Assert.Same(charge, charge.ReleasedAt(s_t0.AddHours(30)));
        var early = charge.ReleasedAt(s_t0.AddHours(-1));
        Assert.Equal((0.0, s_t0), (early.Hours, early.EndsBy));
    }

    [Fact]
    public void Refund_GivesBackTheCutPartDecayedSinceItsCharge_AsIfOnlyTheRestHadBeenCharged()
    {
        var charged = UsageLedger.Empty.Charge(s_fr, 20, s_t0, s_halfLife).Charge(s_fr, 5, s_t0.AddHours(30), s_halfLife);
        var expected = UsageLedger.Empty.Charge(s_fr, 2, s_t0, s_halfLife).Charge(s_fr, 5, s_t0.AddHours(30), s_halfLife);

        var refunded = charged.Refund(s_fr, 18, s_t0, s_halfLife);

        Assert.Equal(expected.ByNation(s_t0.AddHours(50), s_halfLife)["FR"], refunded.ByNation(s_t0.AddHours(50), s_halfLife)["FR"], 9);
        Assert.Equal(0, charged.Refund(s_fr, 1000, s_t0, s_halfLife).ByNation(s_t0.AddHours(50), s_halfLife)["FR"]);
        Assert.Same(charged, charged.Refund(new UsageAccount("DE", "", JobTier.Standard), 1, s_t0, s_halfLife));
        Assert.Throws<ArgumentOutOfRangeException>(() => charged.Refund(s_fr, -1, s_t0, s_halfLife));
    }

    [Fact]
    public void Pruning_DropsOnlyWhatWeighsUnderAThousandthOfItsHours()
    {
        Assert.True(LedgerPruning.DroppedWeight < 0.001, $"2^-{LedgerPruning.HalfLives} = {LedgerPruning.DroppedWeight}");
        var horizon = s_halfLife * LedgerPruning.HalfLives;
        Assert.True(new DecayedUsage(100, s_t0).ValueAt(s_t0 + horizon, s_halfLife) < 0.1);
        Assert.True(new DecayedUsage(100, s_t0).ValueAt(s_t0 + (s_halfLife * (LedgerPruning.HalfLives - 1)), s_halfLife) > 0.1);

        var now = s_t0 + horizon + TimeSpan.FromHours(1);
        var cutoffs = LedgerPruning.Cutoffs(now, s_halfLife, TimeSpan.FromDays(1));

        Assert.Equal(s_t0.AddHours(1), cutoffs.ChargedBefore);
        Assert.Equal(cutoffs.ChargedBefore, cutoffs.ReportedBefore);
        Assert.Equal(now.AddDays(-1), cutoffs.EndedBefore);
        Assert.True(LedgerPruning.Drops(Charge(20, 2, 10), cutoffs));
        Assert.False(LedgerPruning.Drops(Charge(20, 2, 10, startHours: 2), cutoffs));                           // within the decay horizon
        Assert.False(LedgerPruning.Drops(Charge(20, 2, horizon.TotalHours - 2), cutoffs));                       // charged long ago, ended within the report horizon
        Assert.True(LedgerPruning.Drops(Charge(20, 2, horizon.TotalHours - 2).ReleasedAt(s_t0.AddHours(3)), cutoffs)); // ... unless released long ago
        Assert.Throws<ArgumentOutOfRangeException>(() => LedgerPruning.Cutoffs(now, TimeSpan.Zero, TimeSpan.FromDays(1)));
    }
}
