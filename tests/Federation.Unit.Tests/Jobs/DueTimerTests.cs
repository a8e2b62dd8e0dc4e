using Federation.Grains.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Unit.Tests.Jobs;

/// <summary>The one timer of a job or execution grain: armed for the next due time, paced, never postponed.</summary>
public sealed class DueTimerTests
{
    private static readonly TimeSpan s_shortest = TimeSpan.FromMilliseconds(250);

    private sealed class RecordingTimer : IGrainTimer
    {
        public List<TimeSpan> Changes { get; } = [];

        public bool Disposed { get; private set; }

        public void Change(TimeSpan dueTime, TimeSpan period)
        {
            Assert.Equal(Timeout.InfiniteTimeSpan, period);
            Changes.Add(dueTime);
        }

        public void Dispose() => Disposed = true;
    }

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
    private readonly List<(TimeSpan Due, RecordingTimer Timer)> _registered = [];

    private DueTimer Create() => new(due =>
    {
        var timer = new RecordingTimer();
        _registered.Add((due, timer));
        return timer;
    }, s_shortest, _time);

    [Fact]
    public async Task Run_TickThrowsWithoutArming_ArmedAgainAfterTheFailureDelay_DoubledUpToAMinute_ErrorGoesOn()
    {
        var timer = Create();
        timer.Arm(_time.GetUtcNow());
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            timer.Fired();
            await Assert.ThrowsAsync<TimeoutException>(() => timer.RunAsync(() => throw new TimeoutException("state write timed out")));
            delays.Add(timer.FiresAt!.Value - _time.GetUtcNow());
        }

        Assert.Equal([5, 10, 20, 40, 60, 60], delays.Select(d => d.TotalSeconds));

        // A tick that succeeds starts the count again.
        timer.Fired();
        await timer.RunAsync(() => Task.CompletedTask);
        timer.Fired();
        await Assert.ThrowsAsync<TimeoutException>(() => timer.RunAsync(() => throw new TimeoutException("again")));
        Assert.Equal(DueTimer.AfterFailure, timer.FiresAt!.Value - _time.GetUtcNow());
    }

    [Fact]
    public async Task Run_TickThrowsAfterArming_ItsOwnTimeKept()
    {
        var timer = Create();
        var due = _time.GetUtcNow() + TimeSpan.FromSeconds(1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => timer.RunAsync(() =>
        {
            timer.Arm(due);
            throw new InvalidOperationException("projection failed");
        }));

        Assert.Equal(due, timer.FiresAt);
    }

    [Fact]
    public void Arm_DueLater_RegistersOneTimerForExactlyThen()
    {
        var timer = Create();

        timer.Arm(_time.GetUtcNow() + TimeSpan.FromSeconds(15));

        var (due, _) = Assert.Single(_registered);
        Assert.Equal(TimeSpan.FromSeconds(15), due);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(15), timer.FiresAt);
    }

    [Fact]
    public void Arm_DueNowOrPast_WaitsTheShortestDelay()
    {
        var timer = Create();

        timer.Arm(DateTimeOffset.MinValue);

        Assert.Equal(s_shortest, Assert.Single(_registered).Due);
    }

    [Fact]
    public void Arm_LaterThanTheArmedTimeOrDueNow_DoesNotPostponeIt_EarlierMovesItForward()
    {
        var timer = Create();
        timer.Arm(_time.GetUtcNow() + TimeSpan.FromSeconds(1));
        var recording = Assert.Single(_registered).Timer;

        // 200 ms before it fires, steps keep coming: nothing they ask for postpones it.
        _time.Advance(TimeSpan.FromMilliseconds(800));
        timer.Arm(_time.GetUtcNow() + TimeSpan.FromSeconds(30));
        timer.Arm(DateTimeOffset.MinValue);
        Assert.Empty(recording.Changes);

        timer.Fired();
        timer.Arm(_time.GetUtcNow() + TimeSpan.FromSeconds(10));
        timer.Arm(_time.GetUtcNow() + TimeSpan.FromSeconds(2));
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)], recording.Changes);
        Assert.Single(_registered);
    }

    [Fact]
    public void Fired_ThenArm_ChangesTheSameTimer_NothingDue_StopsIt()
    {
        var timer = Create();
        timer.Arm(_time.GetUtcNow() + TimeSpan.FromSeconds(1));
        var recording = Assert.Single(_registered).Timer;

        _time.Advance(TimeSpan.FromSeconds(1));
        timer.Fired();
        Assert.Null(timer.FiresAt);
        timer.Arm(_time.GetUtcNow() + TimeSpan.FromSeconds(10));
        Assert.Equal([TimeSpan.FromSeconds(10)], recording.Changes);

        timer.Arm(null);
        Assert.True(recording.Disposed);
        Assert.Null(timer.FiresAt);
    }

    [Fact]
    public void Earliest_NullIsNever()
    {
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Null(DueTimer.Earliest(null, null));
        Assert.Equal(t, DueTimer.Earliest(null, t));
        Assert.Equal(t, DueTimer.Earliest(t, null));
        Assert.Equal(t, DueTimer.Earliest(t.AddSeconds(1), t));
    }
}
