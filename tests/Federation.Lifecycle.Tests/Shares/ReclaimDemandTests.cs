using System.Collections.Immutable;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Shares;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Lifecycle.Tests.Shares;

/// <summary>
/// An owner's demand reclaims borrowed runs (<see cref="Reclaim.OnDemand"/>), and the hold it takes keeps
/// what comes back for owners (<see cref="ShareRules.Reclaim"/>): one nation of 8 accelerators, two consortia
/// with quotas of half each, on fake time.
/// </summary>
public sealed class ReclaimDemandTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    private static ShareFacts Facts(int free, ReclaimPolicy policy = ReclaimPolicy.CheckpointAndRequeue, ImmutableDictionary<string, int>? held = null) => new()
    {
        Settings = new ShareSettings
        {
            StudentQuota = 0,
            ReclaimPolicy = policy,
            ReclaimGrace = TimeSpan.FromMinutes(2),
            ConsortiumQuotas = ImmutableDictionary<string, double>.Empty.Add("climate", 0.5).Add("health", 0.5),
        },
        Entitlements = ImmutableSortedDictionary<string, double>.Empty.Add("FR", 1),
        Total = 8,
        Free = free,
        ConsortiumHeld = held ?? ImmutableDictionary<string, int>.Empty.Add("climate", 8),
    };

    private static ShareRequest Job(string consortium, int count = 4) => new("FR", true, "uni:alice", consortium, JobTier.Standard, null, count, TimeSpan.FromHours(1));

    private List<HeldRun> ClimateFillsTheNation()
    {
        // climate-1 within its quota at 9:00; climate-2 borrowed health's idle half at 9:10, for 3 hours.
        var start = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMinutes(10));
        return
        [
            new("exec-FR/climate-1/1", "FR", 4, start, start + TimeSpan.FromHours(3), Borrowed: false),
            new("exec-FR/climate-2/1", "FR", 4, _time.GetUtcNow(), _time.GetUtcNow() + TimeSpan.FromHours(3), Borrowed: true),
        ];
    }

    [Fact]
    public void OwnersDemand_NothingFree_ReclaimsTheBorrowedRunOnlyAndBoundsItByTheGrace()
    {
        var runs = ClimateFillsTheNation();
        var facts = Facts(free: 0);
        var health = Job("health");
        var verdict = ShareRules.Decide(health, facts);
        Assert.True(verdict.Admitted);
        Assert.False(verdict.Borrowed);

        var decision = Reclaim.OnDemand(health, verdict, facts, runs, returning: 0, _time.GetUtcNow());

        Assert.NotNull(decision);
        var step = Assert.Single(decision.Steps);
        Assert.Equal("exec-FR/climate-2/1", step.Run.Holder);
        Assert.True(step.Requeue);
        Assert.Equal(4, decision.Needed);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(2), decision.BackBy);
        Assert.Equal(new ReclaimHold(4, decision.BackBy + TimeSpan.FromMinutes(1)), decision.Hold);
        Assert.StartsWith("reclaimed: FR (consortium health) needs 4 accelerators within its shares and 0 are free; 4 borrowed accelerators go back (CheckpointAndRequeue), all by 2026-03-02T09:12:00Z", decision.Reason, StringComparison.Ordinal);
        Assert.EndsWith("this run was signalled to checkpoint and is requeued, its 4 accelerators back by 2026-03-02T09:12:00Z", Reclaim.GiveBackReason(decision, step), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("health", 4, 0, true)] // an owner's demand, nothing free: may reclaim
    [InlineData("health", 4, 3, true)] // one accelerator short
    [InlineData("health", 4, 4, false)] // as many free as it wants
    [InlineData("health", 2, 8, false)]
    [InlineData("climate", 4, 0, false)] // over its consortium's quota: not an owner's demand
    public void MayReclaim_False_OnlyWhenOnDemandReclaimsNothingWhateverIsBorrowed(string consortium, int count, int free, bool may)
    {
        var runs = ClimateFillsTheNation();
        var facts = Facts(free);
        var job = Job(consortium, count);
        var verdict = ShareRules.Decide(job, facts);

        Assert.Equal(may, Reclaim.MayReclaim(job, verdict, facts));
        var decision = Reclaim.OnDemand(job, verdict, facts, runs, returning: 0, _time.GetUtcNow());
        Assert.Equal(may, decision is not null);
    }

    [Fact]
    public void ConfiguredHold_EndsThatLongAfterTheLatestReturn_AndLendsAgainThen()
    {
        var runs = ClimateFillsTheNation();
        var nothingFree = Facts(free: 0);
        var facts = nothingFree with { Settings = nothingFree.Settings with { ReclaimHold = TimeSpan.FromSeconds(5) } };
        var health = Job("health");

        var decision = Reclaim.OnDemand(health, ShareRules.Decide(health, facts), facts, runs, 0, _time.GetUtcNow())!;

        Assert.Equal(decision.BackBy + TimeSpan.FromSeconds(5), decision.Hold.Until);
        var borrower = Job("climate");
        Assert.Equal(ShareRules.Reclaim, ShareRules.Decide(borrower, facts with { Free = 4, Reclaiming = Reclaim.Active([decision.Hold], decision.Hold.Until - TimeSpan.FromTicks(1)) }).Rule);
        Assert.Null(Reclaim.Active([decision.Hold], decision.Hold.Until));
        Assert.True(ShareRules.Decide(borrower, facts with { Free = 4, Reclaiming = Reclaim.Active([decision.Hold], decision.Hold.Until) }).Borrowed);
        Assert.Contains("ReclaimHold must be 0 to 1 day", string.Join("; ", (facts.Settings with { ReclaimHold = TimeSpan.FromSeconds(-1) }).Validate()), StringComparison.Ordinal);
    }

    [Fact]
    public void DrainAtWalltime_ChosenRunIsNotInterruptedAndTheBoundIsItsWalltimeEnd()
    {
        var runs = ClimateFillsTheNation();
        var facts = Facts(free: 0, ReclaimPolicy.DrainAtWalltime);
        var health = Job("health");

        var decision = Reclaim.OnDemand(health, ShareRules.Decide(health, facts), facts, runs, 0, _time.GetUtcNow());

        var step = Assert.Single(decision!.Steps);
        Assert.False(step.Requeue);
        Assert.Equal(runs[1].EndsBy, decision.BackBy);
        Assert.EndsWith("this run drains at the end of its walltime, 2026-03-02T12:10:00Z", Reclaim.GiveBackReason(decision, step), StringComparison.Ordinal);
    }

    [Fact]
    public void WhileTheHoldIsInForce_ABorrowerIsRefusedByReclaim_AndAfterItEndsMayBorrowAgain()
    {
        var runs = ClimateFillsTheNation();
        var health = Job("health");
        var decision = Reclaim.OnDemand(health, ShareRules.Decide(health, Facts(0)), Facts(0), runs, 0, _time.GetUtcNow())!;
        _time.Advance(TimeSpan.FromSeconds(5)); // the borrowed run is gone: its 4 accelerators are free, climate holds 4
        var afterGiveBack = Facts(free: 4, held: ImmutableDictionary<string, int>.Empty.Add("climate", 4));

        // The reclaimed job's requeue comes back first: it would borrow again, and is refused.
        var requeue = ShareRules.Decide(Job("climate"), afterGiveBack with { Reclaiming = Reclaim.Active([decision.Hold], _time.GetUtcNow()) });
        Assert.Equal(ShareRules.Reclaim, requeue.Rule);
        Assert.StartsWith("reclaim: 4 borrowed accelerators are being given back to work within its shares until 2026-03-02T09:13:00Z", requeue.Reason, StringComparison.Ordinal);

        // The owner's retry is within its shares: the hold does not stop it.
        Assert.True(ShareRules.Decide(health, afterGiveBack with { Reclaiming = Reclaim.Active([decision.Hold], _time.GetUtcNow()) }).Admitted);

        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.Null(Reclaim.Active([decision.Hold], _time.GetUtcNow()));
        Assert.True(ShareRules.Decide(Job("climate"), afterGiveBack).Borrowed);
    }

    [Fact]
    public void OwnersRetriedOffer_WhatIsComingBackCoversIt_NothingMoreIsReclaimed()
    {
        var runs = ClimateFillsTheNation();
        var health = Job("health");
        var facts = Facts(0);

        Assert.Null(Reclaim.OnDemand(health, ShareRules.Decide(health, facts), facts, runs, returning: 4, _time.GetUtcNow()));
    }

    [Theory]
    [InlineData(4, "health")] // enough free: nothing to reclaim
    [InlineData(0, "climate")] // a borrower's own demand is refused by its quota, reclaims nothing
    public void NotAnOwnersUnmetDemand_ReclaimsNothing(int free, string consortium)
    {
        var runs = ClimateFillsTheNation();
        var facts = Facts(free);
        var job = Job(consortium);

        Assert.Null(Reclaim.OnDemand(job, ShareRules.Decide(job, facts), facts, runs, 0, _time.GetUtcNow()));
    }

    [Fact]
    public void NoBorrowedRuns_ReclaimsNothing()
    {
        var runs = ClimateFillsTheNation().Select(r => r with { Borrowed = false });
        var health = Job("health");
        var facts = Facts(0);

        Assert.Null(Reclaim.OnDemand(health, ShareRules.Decide(health, facts), facts, runs, 0, _time.GetUtcNow()));
    }

    [Fact]
    public void Active_SumsHoldsInForceAndEndsAtTheLatest()
    {
        var now = _time.GetUtcNow();

        var hold = Reclaim.Active([new(4, now.AddMinutes(1)), new(2, now.AddMinutes(3)), new(8, now)], now);

        Assert.Equal(new ReclaimHold(6, now.AddMinutes(3)), hold);
    }
}
