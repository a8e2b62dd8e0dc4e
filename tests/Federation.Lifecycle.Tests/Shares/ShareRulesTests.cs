using System.Collections.Immutable;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Shares;

namespace Federation.Lifecycle.Tests.Shares;

public sealed class ShareRulesTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static ShareFacts Facts(int free = 40, int studentHeld = 0) => new()
    {
        Settings = new ShareSettings { StudentQuota = 0.1, RefuseBelowFactor = 0.25, ConsortiumQuotas = ImmutableDictionary<string, double>.Empty.Add("climate", 0.5) },
        Entitlements = ImmutableSortedDictionary<string, double>.Empty.Add("FR", 0.5).Add("DE", 0.3).Add("SE", 0.2),
        Usage = ImmutableSortedDictionary<string, double>.Empty.Add("FR", 500).Add("DE", 900).Add("SE", 100),
        Total = 40,
        Free = free,
        StudentHeld = studentHeld,
        CourseRegistered = true,
    };

    private static ShareRequest Research(string origin = "DE", int count = 2, string? consortium = null) =>
        new(origin, origin == "SE", "uni:alice", consortium, JobTier.Standard, null, count, TimeSpan.FromHours(4));

    private static ShareRequest Student(int count = 1, double hours = 1) =>
        new("SE", true, "uni:bob", null, JobTier.Student, "ml-101", count, TimeSpan.FromHours(hours));

    [Fact]
    public void Decide_OverServedForeignNationThatWouldQueue_RefusesByFairShare()
    {
        // DE used 1400 of 2000 (70%) against 30%: factor 2^(-7/3) ≈ 0.20, below 0.25.
        var facts = Facts(free: 4) with { Usage = Facts().Usage.SetItem("DE", 1400) };

        var verdict = ShareRules.Decide(Research(count: 8), facts);

        Assert.Equal(ShareRules.FairShare, verdict.Rule);
        Assert.StartsWith("fair-share: DE has used more than its entitlement of 30.0%", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_OverServedForeignNationOnIdleAccelerators_AdmitsBorrowed()
    {
        var facts = Facts(free: 20) with { Usage = Facts().Usage.SetItem("DE", 1400) };

        var verdict = ShareRules.Decide(Research(count: 8), facts);

        Assert.True(verdict.Admitted);
        Assert.True(verdict.Borrowed);
    }

    [Fact]
    public void Decide_RefusalOffByDefault_OverServedNationIsOnlyMarkedBorrowedOrQueued()
    {
        var facts = Facts(free: 4) with { Usage = Facts().Usage.SetItem("DE", 1400), Settings = new ShareSettings { StudentQuota = 0 } };

        var verdict = ShareRules.Decide(Research(count: 8), facts);

        Assert.True(verdict.Admitted);
        Assert.Equal(0, new ShareSettings().RefuseBelowFactor);
    }

    [Fact]
    public void Decide_NationWithoutStudentReserve_LetsResearchTakeEverything()
    {
        Assert.True(ShareRules.Decide(Research("SE", count: 2), Facts(free: 4) with { HoldsStudentReserve = false }).Admitted);
    }

    [Fact]
    public void Decide_OverServedLocalUsers_AreNotRefusedByFairShare()
    {
        var facts = Facts(free: 4) with { Usage = Facts().Usage.SetItem("SE", 5000), Settings = Facts().Settings with { StudentQuota = 0 } };

        Assert.True(ShareRules.Decide(Research("SE", count: 8), facts).Admitted);
    }

    [Fact]
    public void Decide_ConsortiumOverQuotaWithNothingIdle_RefusesByConsortiumQuota()
    {
        var facts = Facts(free: 6) with { ConsortiumHeld = ImmutableDictionary<string, int>.Empty.Add("climate", 19) };

        var verdict = ShareRules.Decide(Research("FR", count: 4, consortium: "climate"), facts);

        Assert.Equal(ShareRules.ConsortiumQuota, verdict.Rule);
        Assert.Contains("over its quota of 20 (50% of 40)", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ConsortiumOverQuotaWithIdleAccelerators_BorrowsUnlessBorrowingIsOff()
    {
        var facts = Facts(free: 20) with { ConsortiumHeld = ImmutableDictionary<string, int>.Empty.Add("climate", 19) };

        Assert.True(ShareRules.Decide(Research("FR", count: 4, consortium: "climate"), facts).Borrowed);
        Assert.Equal(ShareRules.ConsortiumQuota, ShareRules.Decide(Research("FR", count: 4, consortium: "climate"), facts with { Settings = facts.Settings with { BorrowIdle = false } }).Rule);
    }

    [Fact]
    public void Decide_StudentWithinQuota_AdmittedEvenWhenOnlyTheReserveIsFree()
    {
        // 40 x 10% = 4 held for students; everything else is busy.
        var verdict = ShareRules.Decide(Student(count: 1), Facts(free: 4));

        Assert.True(verdict.Admitted);
        Assert.False(verdict.Borrowed);
        Assert.Equal("within the student tier's guaranteed quota (1 of 4)", verdict.Reason);
    }

    [Fact]
    public void Decide_ResearchJobWouldTakeTheStudentReserve_Refused()
    {
        var verdict = ShareRules.Decide(Research("SE", count: 2), Facts(free: 4));

        Assert.Equal(ShareRules.StudentQuota, verdict.Rule);
        Assert.Equal("student-quota: 4 of the 4 idle accelerators are held for the student tier, 2 wanted", verdict.Reason);
    }

    [Fact]
    public void Decide_StudentBeyondQuotaWithNothingIdle_RefusedByStudentQuota()
    {
        var verdict = ShareRules.Decide(Student(count: 1), Facts(free: 0, studentHeld: 4) with { Settings = Facts().Settings with { StudentMaxPerCourse = 100 } });

        Assert.Equal(ShareRules.StudentQuota, verdict.Rule);
    }

    [Theory]
    [InlineData(1, 3, 0, ShareRules.StudentWalltime)]
    [InlineData(3, 1, 0, ShareRules.StudentUserCap)]
    [InlineData(2, 1, 7, ShareRules.StudentCourseCap)]
    public void Decide_StudentBreaksACap_RefusedNamingIt(int count, double hours, int courseHeld, string rule)
    {
        var verdict = ShareRules.Decide(Student(count, hours), Facts() with { StudentCourseHeld = courseHeld });

        Assert.Equal(rule, verdict.Rule);
        Assert.StartsWith(rule + ": ", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_StudentCourseNotRegisteredOrMissing_RefusedByStudentCourse()
    {
        Assert.Equal(ShareRules.StudentCourse, ShareRules.Decide(Student(), Facts() with { CourseRegistered = false }).Rule);
        Assert.Equal(ShareRules.StudentCourse, ShareRules.Decide(Student() with { Course = null }, Facts()).Rule);
    }

    [Fact]
    public void Priority_LocalUsersGetTheirBoostAndStudentsBeyondQuotaRankLast()
    {
        var facts = Facts();

        Assert.Equal(facts.FactorOf("SE") + facts.Settings.LocalPriority, ShareRules.Priority(Research("SE"), facts), 9);
        Assert.Equal(facts.FactorOf("DE"), ShareRules.Priority(Research("DE"), facts), 9);
        Assert.Equal(0, ShareRules.Priority(Student(), facts with { StudentHeld = 4 }));
    }

    [Fact]
    public void Reclaim_NewestBorrowedRunsFirst_AllBackWithinTheGrace()
    {
        var facts = Facts();
        HeldRun[] runs =
        [
            new("own", "SE", 8, s_now.AddHours(-1), s_now.AddHours(5), Borrowed: false),
            new("old", "DE", 4, s_now.AddHours(-3), s_now.AddHours(3), Borrowed: true),
            new("new", "DE", 4, s_now.AddMinutes(-10), s_now.AddHours(4), Borrowed: true),
            new("ending", "FR", 2, s_now.AddMinutes(-5), s_now.AddMinutes(2), Borrowed: true),
        ];

        var steps = Reclaim.Plan(runs, 5, s_now, facts);

        Assert.Equal(["ending", "new"], steps.Select(s => s.Run.Holder));
        Assert.False(steps[0].Requeue);
        Assert.Equal(s_now.AddMinutes(2), steps[0].ReturnBy);
        Assert.True(steps[1].Requeue);
        Assert.All(steps, s => Assert.True(s.ReturnBy <= s_now + facts.Settings.ReclaimGrace));
        Assert.DoesNotContain(steps, s => s.Run.Holder == "own");
    }

    [Fact]
    public void Reclaim_DrainAtWalltime_SoonestEndingBorrowedRunsDrainNoneRequeued()
    {
        var facts = Facts() with { Settings = Facts().Settings with { ReclaimPolicy = ReclaimPolicy.DrainAtWalltime } };
        HeldRun[] runs =
        [
            new("own", "SE", 8, s_now.AddHours(-1), s_now.AddMinutes(30), Borrowed: false),
            new("late", "DE", 4, s_now.AddMinutes(-10), s_now.AddHours(6), Borrowed: true),
            new("soon", "DE", 4, s_now.AddHours(-3), s_now.AddHours(1), Borrowed: true),
            new("sooner", "FR", 2, s_now.AddHours(-2), s_now.AddMinutes(40), Borrowed: true),
        ];

        var steps = Reclaim.Plan(runs, 5, s_now, facts);

        Assert.Equal(["sooner", "soon"], steps.Select(s => s.Run.Holder));
        Assert.All(steps, s => Assert.False(s.Requeue, $"{s.Run.Holder} is requeued under DrainAtWalltime"));
        Assert.Equal([s_now.AddMinutes(40), s_now.AddHours(1)], steps.Select(s => s.ReturnBy));
    }

    [Fact]
    public void Reclaim_MostOverShareFirst_TakesTheLowestFactorNation()
    {
        var facts = Facts() with { Settings = Facts().Settings with { ReclaimOrder = ReclaimOrder.MostOverShareFirst } };
        HeldRun[] runs =
        [
            new("fr", "FR", 4, s_now.AddMinutes(-1), s_now.AddHours(4), Borrowed: true),
            new("de", "DE", 4, s_now.AddHours(-2), s_now.AddHours(4), Borrowed: true),
        ];

        Assert.Equal("de", Assert.Single(Reclaim.Plan(runs, 4, s_now, facts)).Run.Holder);
    }
}
