using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Executions;
using Federation.Lifecycle.Shares;
using Federation.Reference;

namespace Federation.Lifecycle.Tests.Executions;

/// <summary>The share rules inside <see cref="AdmissionRules"/>: after the fit, refusals named by their rule; absent facts change nothing.</summary>
public sealed class AdmissionShareRulesTests
{
    private static readonly NationCode s_fr = ExecutionDriver.Origin;

    private static JobOffer Offer(JobSpec spec) => new() { Job = ExecutionDriver.Job, Epoch = 1, Spec = spec, LeaseSeconds = 30 };

    private static ShareFacts Shares(int free, double frUsage = 0) => new()
    {
        Settings = new ShareSettings { StudentQuota = 0, RefuseBelowFactor = 0.25 },
        Entitlements = ImmutableSortedDictionary<string, double>.Empty.Add("FR", 0.2).Add("SE", 0.8),
        Usage = ImmutableSortedDictionary<string, double>.Empty.Add("FR", frUsage).Add("SE", 100),
        Total = 4,
        Free = free,
        CourseRegistered = null,
    };

    [Fact]
    public void Decide_NoShareFacts_AdmitsAsBefore()
    {
        var verdict = AdmissionRules.Decide(s_fr, Offer(ExecutionDriver.Spec()), ExecutionDriver.AdmissionFacts(free: 1), ReferenceTables.Shipped);

        Assert.True(verdict.Admitted);
        Assert.Equal("queued for 2 x h100-sxm (1 of 4 free now)", verdict.Reason);
    }

    [Fact]
    public void Decide_ForeignNationFarOverItsShareWouldQueue_RefusedByFairShareWithTheRuleLeadingTheReason()
    {
        var facts = ExecutionDriver.AdmissionFacts(free: 1) with { Shares = Shares(free: 1, frUsage: 900) };

        var verdict = AdmissionRules.Decide(s_fr, Offer(ExecutionDriver.Spec()), facts, ReferenceTables.Shipped);

        Assert.Equal(ShareRules.FairShare, verdict.Rule);
        Assert.StartsWith("fair-share: FR has used more than its entitlement of 20.0%", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ForeignNationOverItsShareOnIdleAccelerators_AdmittedAsBorrowed()
    {
        var facts = ExecutionDriver.AdmissionFacts(free: 4) with { Shares = Shares(free: 4, frUsage: 900) };

        var verdict = AdmissionRules.Decide(s_fr, Offer(ExecutionDriver.Spec()), facts, ReferenceTables.Shipped);

        Assert.True(verdict.Admitted);
        Assert.Equal(ExecutionDriver.H100, verdict.Fit);
        Assert.EndsWith("borrowed (reclaimable)", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_StudentJobOverTheWalltimeCap_RefusedByStudentWalltime()
    {
        var spec = ExecutionDriver.Spec(TimeSpan.FromHours(3)) with { Tier = JobTier.Student, Course = "ml-101" };
        var facts = ExecutionDriver.AdmissionFacts() with { Shares = Shares(free: 4) };

        var verdict = AdmissionRules.Decide(s_fr, Offer(spec), facts, ReferenceTables.Shipped);

        Assert.Equal(ShareRules.StudentWalltime, verdict.Rule);
    }

    [Fact]
    public void Decide_NoAcceleratorFits_TheFitRefusesBeforeTheShares()
    {
        var facts = ExecutionDriver.AdmissionFacts() with { Pools = [], Shares = Shares(free: 0, frUsage: 900) };

        Assert.Equal(AdmissionRules.NoFit, AdmissionRules.Decide(s_fr, Offer(ExecutionDriver.Spec()), facts, ReferenceTables.Shipped).Rule);
    }
}
