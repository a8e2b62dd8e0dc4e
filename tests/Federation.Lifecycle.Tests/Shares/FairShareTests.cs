using System.Collections.Immutable;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Shares;

namespace Federation.Lifecycle.Tests.Shares;

public sealed class FairShareTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Entitlements_Contributions_AreProportional()
    {
        var shares = FairShare.Entitlements(new Dictionary<string, double> { ["FR"] = 50, ["DE"] = 30, ["SE"] = 20 }, 0.05);

        Assert.Equal(0.5, shares["FR"], 9);
        Assert.Equal(0.3, shares["DE"], 9);
        Assert.Equal(0.2, shares["SE"], 9);
    }

    [Fact]
    public void Entitlements_SmallContributor_GetsTheFloorAndOthersShareTheRest()
    {
        var shares = FairShare.Entitlements(new Dictionary<string, double> { ["FR"] = 600, ["DE"] = 390, ["EE"] = 10 }, 0.1);

        Assert.Equal(0.1, shares["EE"], 9);
        Assert.Equal(0.9 * 600 / 990, shares["FR"], 9);
        Assert.Equal(0.9 * 390 / 990, shares["DE"], 9);
        Assert.Equal(1, shares.Values.Sum(), 9);
    }

    [Fact]
    public void Entitlements_NobodyContributes_SplitsEvenly()
    {
        var shares = FairShare.Entitlements(new Dictionary<string, double> { ["FR"] = 0, ["DE"] = 0 }, 0.05);

        Assert.Equal(0.5, shares["FR"], 9);
        Assert.Equal(0.5, shares["DE"], 9);
    }

    [Fact]
    public void Entitlements_FloorsExceedTheWhole_ThrowsNamingTheMinimum()
    {
        var e = Assert.Throws<ArgumentException>(() => FairShare.Entitlements(new Dictionary<string, double> { ["FR"] = 1, ["DE"] = 1, ["SE"] = 1 }, 0.4));
        Assert.Equal("minimum", e.ParamName);
    }

    [Fact]
    public void Entitlements_NegativeContribution_ThrowsNamingTheNation()
    {
        var e = Assert.Throws<ArgumentException>(() => FairShare.Entitlements(new Dictionary<string, double> { ["FR"] = -1 }, 0));
        Assert.Contains("FR", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Factor_FollowsSlurmsClassicFormula()
    {
        Assert.Equal(1, FairShare.Factor(0, 100, 0.3));
        Assert.Equal(0.5, FairShare.Factor(30, 100, 0.3), 9);
        Assert.Equal(0.25, FairShare.Factor(60, 100, 0.3), 9);
        Assert.True(FairShare.Factor(10, 100, 0.3) > 0.5);
        Assert.Equal(0, FairShare.Factor(10, 100, 0));
    }

    [Fact]
    public void DecayedUsage_HalvesEveryHalfLifeAndAddsCharges()
    {
        var halfLife = TimeSpan.FromHours(24);
        var u = new DecayedUsage(0, s_t0).Charge(100, s_t0, halfLife);

        Assert.Equal(50, u.ValueAt(s_t0.AddHours(24), halfLife), 9);
        Assert.Equal(25, u.ValueAt(s_t0.AddHours(48), halfLife), 9);
        Assert.Equal(100, u.ValueAt(s_t0.AddHours(-1), halfLife));
        Assert.Equal(60, u.Charge(10, s_t0.AddHours(24), halfLife).Value, 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => u.Charge(-1, s_t0, halfLife));
    }

    [Fact]
    public void DecayedUsage_Refund_TakesBackWhatIsLeftOfTheChargeDecayedFromWhenItWasMade()
    {
        var halfLife = TimeSpan.FromHours(24);
        var u = new DecayedUsage(0, s_t0).Charge(100, s_t0, halfLife).Charge(40, s_t0.AddHours(24), halfLife);   // 50 + 40 at t0 + 24 h

        // 40 of the first charge taken back a day after it was made: half of it is still counted, so 20 goes.
        Assert.Equal(70, u.Refund(40, s_t0, halfLife).Value, 9);
        Assert.Equal(s_t0.AddHours(24), u.Refund(40, s_t0, halfLife).At);
        Assert.Equal(0, u.Refund(1000, s_t0.AddHours(24), halfLife).Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => u.Refund(-1, s_t0, halfLife));
        Assert.Throws<ArgumentOutOfRangeException>(() => u.Refund(double.NaN, s_t0, halfLife));
    }

    [Fact]
    public void UsageCharge_Settled_IsWhatTheRunUsedAtMostTheEstimate_AndKeepsItsWalltimeForReports()
    {
        var charge = new UsageCharge("DE/a#1", new("DE", "", JobTier.Standard), 4, 2, s_t0, s_t0.AddHours(4));

        Assert.Equal(1.5, charge.Settled(1.5).Hours);
        Assert.Equal(4, charge.Settled(9).Hours);
        Assert.Equal(0, charge.Settled(-1).Hours);
        Assert.Equal(4, charge.Settled(double.NaN).Hours);
        Assert.Equal(1.5, charge.Settled(1.5).Settled(3).Hours);
        Assert.Equal(charge.EndsBy, charge.Settled(1.5).EndsBy);
        Assert.Equal(0.75, charge.Settled(1.5).DeliveredIn(s_t0, s_t0.AddHours(2)), 9);

        var ledger = UsageLedger.Empty.Charge(charge.Account, 4, s_t0, TimeSpan.FromDays(7));
        Assert.Equal(1.5, ledger.Refund(charge.Account, 4 - 1.5, s_t0, TimeSpan.FromDays(7)).ByNation(s_t0, TimeSpan.FromDays(7))["DE"], 9);
        Assert.Same(ledger, ledger.Refund(new("FR", "", JobTier.Standard), 1, s_t0, TimeSpan.FromDays(7)));
    }

    [Fact]
    public void UsageLedger_SumsByNationConsortiumAndTier()
    {
        var halfLife = TimeSpan.FromDays(7);
        var ledger = UsageLedger.Empty
            .Charge(new("FR", "climate", JobTier.Standard), 10, s_t0, halfLife)
            .Charge(new("FR", "", JobTier.Student), 2, s_t0, halfLife)
            .Charge(new("DE", "climate", JobTier.Standard), 5, s_t0, halfLife)
            .Charge(new("FR", "climate", JobTier.Standard), 1, s_t0, halfLife);

        Assert.Equal(13, ledger.ByNation(s_t0, halfLife)["FR"], 9);
        Assert.Equal(16, ledger.ByConsortium(s_t0, halfLife)["climate"], 9);
        Assert.Equal(2, ledger.Students(s_t0, halfLife), 9);
        Assert.Equal(3, ledger.Accounts.Count);
    }

    [Fact]
    public void JainIndex_EqualFractionsIsOneAndOneTakerIsOneOverN()
    {
        Assert.Equal(1, FairShare.JainIndex([(50, 0.5), (30, 0.3), (20, 0.2)]), 9);
        Assert.Equal(1.0 / 3, FairShare.JainIndex([(100, 0.5), (0, 0.3), (0, 0.2)]), 9);
    }

    [Fact]
    public void Validate_BadSettings_NameEachProperty()
    {
        var errors = new ShareSettings { HalfLife = TimeSpan.Zero, StudentQuota = 2, ConsortiumQuotas = new Dictionary<string, double> { ["c1"] = -0.1 }.ToImmutableDictionary() }.Validate();

        Assert.Contains(errors, e => e.StartsWith("Federation:Shares:HalfLife", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Federation:Shares:StudentQuota", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Federation:Shares:ConsortiumQuotas:c1", StringComparison.Ordinal));
        Assert.Empty(new ShareSettings().Validate());
    }
}
