using Federation.Silo.Postgres;

namespace Federation.Unit.Tests.Postgres;

/// <summary>
/// <see cref="GroupCommit{TItem, TResult}.Hold"/>: writes issued while a hold is open leave in one
/// transaction once it is released, and nothing leaves while it is open.
/// </summary>
public sealed class GroupCommitHoldTests
{
    [Fact]
    public async Task WritesIssuedUnderAHold_LeaveTogetherInOneTransaction_OnlyOnceItIsReleased()
    {
        var batches = new List<int[]>();
        var commit = new GroupCommit<int, int>(items =>
        {
            lock (batches)
            {
                batches.Add([.. items]);
            }

            return Task.FromResult<IReadOnlyList<int>>([.. items.Select(i => i * 10)]);
        }, _ => false);

        Task<int>[] writes;
        using (commit.Hold())
        {
            writes = [commit.EnqueueAsync(1), commit.EnqueueAsync(2), commit.EnqueueAsync(3)];
            Assert.All(writes, w => Assert.False(w.IsCompleted));
        }

        var answers = await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal("10 20 30", string.Join(' ', answers));
        Assert.Equal("1 2 3", string.Join(' ', Assert.Single(batches)));
        Assert.Equal(1, commit.Transactions);
    }

    [Fact]
    public async Task NestedHolds_TheLastReleaseLetsTheQueueGo()
    {
        var commit = new GroupCommit<int, int>(items => Task.FromResult<IReadOnlyList<int>>([.. items]), _ => false);
        var outer = commit.Hold();
        Task<int> write;
        using (commit.Hold())
        {
            write = commit.EnqueueAsync(7);
        }

        Assert.False(write.IsCompleted);
        outer.Dispose();
        outer.Dispose(); // a second dispose releases nothing more

        Assert.Equal(7, await write.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }
}
