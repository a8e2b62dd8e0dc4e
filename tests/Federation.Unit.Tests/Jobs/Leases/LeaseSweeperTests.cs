using Federation.Grains.Jobs.Leases;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Unit.Tests.Jobs.Leases;

/// <summary>
/// The sweeper's rule on fake time: an entry is woken when due and not before, once per recheck
/// while its grain leaves it, never again once its grain removes it; a failed wake comes back after
/// the retry delay; a backlog is taken page by page up to the per-sweep bound; after a silo failed,
/// every live entry is woken at once, and no finished job's.
/// </summary>
public sealed class LeaseSweeperTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly LeaseSettings s_settings = new() { Recheck = TimeSpan.FromMinutes(1), WakeRetry = TimeSpan.FromSeconds(20), PageSize = 10, Parallelism = 4 };

    private readonly FakeTimeProvider _time = new(s_start);
    private readonly InMemoryLeaseIndex _index = new();
    private readonly List<LeaseKey> _woken = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LiveEntry_WokenWhenDue_NotBefore_ThenOncePerRecheckWhileItsGrainLeavesIt()
    {
        var job = LeaseKey.Job("DE/train-1");
        await _index.SetAsync(job, LeaseRule.Next(_time.GetUtcNow(), s_settings), Ct);
        var sweeper = Sweeper(_ => Task.CompletedTask);

        Assert.Equal((0, 0), await sweeper.SweepAsync(Ct));
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal((0, 0), await sweeper.SweepAsync(Ct));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((1, 0), await sweeper.SweepAsync(Ct));
        Assert.Equal((0, 0), await sweeper.SweepAsync(Ct));
        Assert.Equal(s_start.AddMinutes(2), await _index.DueAsync(job, Ct));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal((1, 0), await sweeper.SweepAsync(Ct));

        Assert.Equal([job, job], _woken);
    }

    [Fact]
    public async Task GrainRemovesItsEntryWhenWoken_NeverWokenAgain()
    {
        var execution = LeaseKey.Execution("exec-DE/train-1/1");
        await _index.SetAsync(execution, s_start, Ct);
        var sweeper = Sweeper(key => _index.RemoveAsync(key, Ct));

        Assert.Equal((1, 0), await sweeper.SweepAsync(Ct));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal((0, 0), await sweeper.SweepAsync(Ct));

        Assert.Null(await _index.DueAsync(execution, Ct));
        Assert.Single(_woken);
    }

    [Fact]
    public async Task FinishedJobDueAtTheEndOfItsRetention_WokenThenAndNotBefore()
    {
        var job = LeaseKey.Job("DE/done");
        await _index.SetAsync(job, s_start.AddDays(30), Ct);
        var sweeper = Sweeper(_ => Task.CompletedTask);

        _time.Advance(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        Assert.Equal((0, 0), await sweeper.SweepAsync(Ct));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((1, 0), await sweeper.SweepAsync(Ct));
    }

    [Fact]
    public async Task FailedWake_CountedAndLogged_OthersStillWoken_TriedAgainFromMemoryAfterTheRetryDelay_NoWrite()
    {
        var broken = LeaseKey.Job("DE/broken");
        var fine = LeaseKey.Job("DE/fine");
        await _index.SetAsync(broken, s_start, Ct);
        await _index.SetAsync(fine, s_start, Ct);
        var healed = false;
        var sweeper = Sweeper(key => key == broken && !healed ? Task.FromException(new TimeoutException("database unreachable")) : Task.CompletedTask);

        Assert.Equal((1, 1), await sweeper.SweepAsync(Ct));
        Assert.Equal(1, sweeper.Retries);

        // The index is not written for the retry (the claim's recheck stays, the backstop).
        Assert.Equal(s_start.AddMinutes(1), await _index.DueAsync(broken, Ct));
        _time.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal((0, 0), await sweeper.SweepAsync(Ct));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((0, 1), await sweeper.SweepAsync(Ct));
        healed = true;
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal((1, 0), await sweeper.SweepAsync(Ct));
        Assert.Equal(0, sweeper.Retries);
        Assert.Equal([broken, fine, broken, broken], _woken);
    }

    [Fact]
    public async Task Backlog_TakenPageByPage_UpToTheBoundPerSweep_TheRestNextSweep()
    {
        var total = (LeaseSweeper.MaxPagesPerSweep * s_settings.PageSize) + 15;
        for (var i = 0; i < total; i++)
        {
            await _index.SetAsync(LeaseKey.Job($"DE/b{i:D4}"), s_start.AddMilliseconds(-i), Ct);
        }

        var sweeper = Sweeper(_ => Task.CompletedTask);

        Assert.Equal((LeaseSweeper.MaxPagesPerSweep * s_settings.PageSize, 0), await sweeper.SweepAsync(Ct));
        Assert.Equal((15, 0), await sweeper.SweepAsync(Ct));
        Assert.Equal(total, _woken.Distinct().Count());

        // Earliest due first: the oldest entries were woken in the first sweep.
        Assert.Equal($"DE/b{total - 1:D4}", _woken[0].Key);
    }

    [Fact]
    public async Task WakeAllLive_EveryEntryDueWithinTwoRechecks_PageByPage_NoneClaimed_FinishedJobsLeft_FailuresRetried()
    {
        var live = Enumerable.Range(0, (3 * s_settings.PageSize) + 4).Select(i => LeaseKey.Execution($"exec-DE/j{i:D3}/1")).ToList();
        foreach (var key in live)
        {
            await _index.SetAsync(key, s_start.AddSeconds(30), Ct);
        }

        var retained = LeaseKey.Job("DE/done");
        await _index.SetAsync(retained, s_start.AddDays(30), Ct);
        var broken = LeaseKey.Job("DE/on-a-dead-silo");
        await _index.SetAsync(broken, s_start.AddMinutes(2), Ct);
        var later = LeaseKey.Job("DE/beyond-two-rechecks");
        await _index.SetAsync(later, s_start.AddMinutes(2).AddTicks(1), Ct);
        var sweeper = Sweeper(key => key == broken ? Task.FromException(new TimeoutException("no silo answers")) : Task.CompletedTask);

        Assert.Equal((live.Count, 1), await sweeper.WakeAllLiveAsync(Ct));

        Assert.Equal([.. live, broken], _woken.Order(Comparer<LeaseKey>.Create(LeaseKey.Compare)));
        Assert.Equal(s_start.AddSeconds(30), await _index.DueAsync(live[0], Ct));
        Assert.Equal(s_start.AddDays(30), await _index.DueAsync(retained, Ct));
        Assert.Equal(s_start.AddMinutes(2), await _index.DueAsync(broken, Ct));
        Assert.Equal(1, sweeper.Retries);
    }

    [Theory]
    [InlineData(DeactivationReasonCode.ActivationIdle, true)]
    [InlineData(DeactivationReasonCode.HighMemoryPressure, true)]
    [InlineData(DeactivationReasonCode.ApplicationRequested, true)]
    [InlineData(DeactivationReasonCode.ShuttingDown, false)]
    [InlineData(DeactivationReasonCode.Migrating, false)]
    [InlineData(DeactivationReasonCode.DuplicateActivation, false)]
    public void Deactivation_ALiveGrainLeavingMemory_DueWhenItsTimerWouldFire_NotOnShutdownOrMove(DeactivationReasonCode reason, bool written)
    {
        var now = _time.GetUtcNow();
        var firesAt = now.AddHours(1);

        Assert.Equal(written ? firesAt : null, LeaseRule.OnDeactivation(needsWake: true, reason, firesAt, now, s_settings));
        Assert.Equal(written ? now + s_settings.Recheck : null, LeaseRule.OnDeactivation(needsWake: true, reason, firesAt: null, now, s_settings));
        Assert.Null(LeaseRule.OnDeactivation(needsWake: false, reason, firesAt, now, s_settings));
    }

    [Fact]
    public void GrainRules_ExecutionNeedsAnEntryWhileLiveOrOwingReports_JobNoneWhenUnknown()
    {
        var now = _time.GetUtcNow();
        Assert.Equal(now.AddMinutes(1), LeaseRule.ForExecution(live: true, outbox: 0, now, s_settings));
        Assert.Equal(now.AddMinutes(1), LeaseRule.ForExecution(live: false, outbox: 2, now, s_settings));
        Assert.Null(LeaseRule.ForExecution(live: false, outbox: 0, now, s_settings));
        Assert.Null(LeaseRule.ForJob(Federation.Lifecycle.Jobs.JobLifecycleState.Empty(Federation.Contracts.Ids.TypedId.Parse<Federation.Contracts.Ids.JobRef>("DE/x")), now, TimeSpan.FromDays(30), s_settings));
        Assert.True(LeaseRule.IsDue(now, now));
        Assert.False(LeaseRule.IsDue(now.AddTicks(1), now));
    }

    private LeaseSweeper Sweeper(Func<LeaseKey, Task> wake) =>
        new(_index, key =>
        {
            lock (_woken)
            {
                _woken.Add(key);
            }

            return wake(key);
        }, s_settings, _time, NullLogger.Instance);
}
