using Federation.Silo.Jobs.Dispatch;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Unit.Tests.Jobs;

/// <summary>
/// The coalescer with <see cref="BatchBounds.SendWhenIdle"/>, on fake time: a message to an idle peer
/// leaves at once, and the messages that come while a batch is on its way form the next batch.
/// </summary>
public sealed class MessageCoalescerIdleTests
{
    private static readonly TimeSpan s_flush = TimeSpan.FromMilliseconds(2);

    private static (MessageCoalescer<int> Coalescer, List<IReadOnlyList<int>> Batches, FakeTimeProvider Time) Create(int maxMessages = 4, bool sendWhenIdle = true)
    {
        var time = new FakeTimeProvider();
        var batches = new List<IReadOnlyList<int>>();
        var bounds = new BatchBounds(maxMessages, 1000, s_flush) { SendWhenIdle = sendWhenIdle };
        return (new MessageCoalescer<int>(bounds, time, batch => batches.Add([.. batch])), batches, time);
    }

    [Fact]
    public void Add_ToAnIdlePeer_HandsTheMessageOverAtOnceWithoutATimer()
    {
        var (coalescer, batches, _) = Create();

        coalescer.Add(1, 10);

        Assert.Equal([[1]], batches);
        Assert.Equal(0, coalescer.Pending);
        Assert.Equal(1, coalescer.OnTheirWay);
    }

    [Fact]
    public void Add_WhileABatchIsOnItsWay_GathersUntilThatBatchEnded()
    {
        var (coalescer, batches, _) = Create();
        coalescer.Add(1, 10);
        coalescer.Add(2, 10);
        coalescer.Add(3, 10);
        Assert.Equal([[1]], batches);
        Assert.Equal(2, coalescer.Pending);

        coalescer.Ended();

        Assert.Equal([[1], [2, 3]], batches);
        Assert.Equal(0, coalescer.Pending);
        Assert.Equal(1, coalescer.OnTheirWay);

        coalescer.Ended();
        Assert.Equal(0, coalescer.OnTheirWay);
        coalescer.Add(4, 10);
        Assert.Equal([[1], [2, 3], [4]], batches);
    }

    [Fact]
    public void Add_WhileABatchIsOnItsWay_StillLeavesWhenFullOrAfterTheFlushDelay()
    {
        var (coalescer, batches, time) = Create(maxMessages: 2);
        coalescer.Add(1, 10);
        coalescer.Add(2, 10);
        coalescer.Add(3, 10);
        Assert.Equal([[1], [2, 3]], batches);

        coalescer.Add(4, 10);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, batches.Count);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([[1], [2, 3], [4]], batches);
        Assert.Equal(3, coalescer.OnTheirWay);

        // The batches end in any order; the peer is idle only after the last.
        coalescer.Ended();
        coalescer.Ended();
        coalescer.Add(5, 10);
        Assert.Equal(3, batches.Count);
        coalescer.Ended();
        Assert.Equal([[1], [2, 3], [4], [5]], batches);
    }

    [Fact]
    public void Ended_WithoutSendWhenIdle_ChangesNothingAndTheFirstMessageWaitsForTheDelay()
    {
        var (coalescer, batches, time) = Create(sendWhenIdle: false);
        coalescer.Add(1, 10);
        coalescer.Ended();
        Assert.Empty(batches);
        Assert.Equal(0, coalescer.OnTheirWay);

        time.Advance(s_flush);
        Assert.Equal([[1]], batches);
    }

    [Fact]
    public void ToBounds_OfTheOptions_SendsWhenIdle() =>
        Assert.True(new MessageBatchOptions().ToBounds().SendWhenIdle);
}
