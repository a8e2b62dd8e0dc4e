using Federation.Contracts.Jobs;
using Federation.Lifecycle.Shares;

namespace Federation.Lifecycle.Tests.Shares;

/// <summary>The pure rule of pruning the usage ledger's old rows: only what weighs under 0.1 % of its hours and is no longer reported.</summary>
public sealed class LedgerPruningTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_halfLife = TimeSpan.FromHours(24);
    private static readonly UsageAccount s_fr = new("FR", "climate", JobTier.Standard);

    private static UsageCharge Charge(double hours, int accelerators, double walltimeHours, double startHours = 0) =>
        new("FR/a#1", s_fr, hours, accelerators, s_t0.AddHours(startHours), s_t0.AddHours(startHours + walltimeHours));

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
        Assert.False(LedgerPruning.Drops(Charge(20, 2, horizon.TotalHours - 2), cutoffs));                       // charged long ago, still reported
        Assert.Throws<ArgumentOutOfRangeException>(() => LedgerPruning.Cutoffs(now, TimeSpan.Zero, TimeSpan.FromDays(1)));
    }
}
