namespace Federation.Silo.Postgres;

/// <summary>
/// Group commit: callers enqueue one item each and get a task; a flusher takes everything queued
/// (up to <see cref="MaxBatch"/>) and writes it in ONE transaction, then completes each item's
/// task with its own result. A flush starts as soon as there is work and fewer than
/// <see cref="MaxConcurrentFlushes"/> are running, so a lone write waits for no timer; under load,
/// the writes that arrive while a transaction is in flight form the next one.
/// </summary>
/// <remarks>
/// A task completes only after the transaction that contains its item committed (or failed: then
/// it faults). When a whole transaction fails with an error that <paramref name="retryAlone"/>
/// accepts (the server refused it, e.g. a deadlock or a bad value in one row: nothing of it was
/// kept), each of its items is written again on its own, so that one bad item fails only its
/// own task. Other errors (a lost connection, where the commit's outcome is unknown) fault every
/// task of the transaction, as a lone write would.
/// </remarks>
/// <typeparam name="TItem">What a caller writes.</typeparam>
/// <typeparam name="TResult">What the transaction answers for that item.</typeparam>
/// <param name="flush">Writes the items in one transaction; returns one result per item, in order.</param>
/// <param name="retryAlone">True when a failed transaction kept nothing and its items may be retried one by one.</param>
/// <param name="maxBatch">Most items per transaction.</param>
/// <param name="maxConcurrentFlushes">Most transactions in flight at once.</param>
public sealed class GroupCommit<TItem, TResult>(
    Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> flush,
    Func<Exception, bool> retryAlone,
    int maxBatch = 512,
    int maxConcurrentFlushes = 2)
{
    private readonly Lock _gate = new();
    private readonly List<(TItem Item, TaskCompletionSource<TResult> Done)> _pending = [];
    private int _running;
    private int _held;
    private long _transactions;
    private long _items;
    private long _largest;
    private long _retriedAlone;

    /// <summary>Most items per transaction.</summary>
    public int MaxBatch { get; } = maxBatch > 0 ? maxBatch : throw new ArgumentOutOfRangeException(nameof(maxBatch));

    /// <summary>Most transactions in flight at once.</summary>
    public int MaxConcurrentFlushes { get; } = maxConcurrentFlushes > 0 ? maxConcurrentFlushes : throw new ArgumentOutOfRangeException(nameof(maxConcurrentFlushes));

    /// <summary>Transactions committed so far.</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Items committed so far.</summary>
    public long Items => Interlocked.Read(ref _items);

    /// <summary>The most items one committed transaction held.</summary>
    public long LargestBatch => Interlocked.Read(ref _largest);

    /// <summary>Transactions that failed as a whole and whose items were retried one by one.</summary>
    public long RetriedAlone => Interlocked.Read(ref _retriedAlone);

    /// <summary>Queues <paramref name="item"/>; the task completes when a transaction holding it committed.</summary>
    public Task<TResult> EnqueueAsync(TItem item)
    {
        // Continuations run elsewhere than the flusher: the caller may be a grain, and the flusher must go on.
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            _pending.Add((item, done));
            start = _held == 0 && _running < MaxConcurrentFlushes;
            if (start)
            {
                _running++;
            }
        }

        if (start)
        {
            _ = Task.Run(FlushLoopAsync);
        }

        return done.Task;
    }

    /// <summary>
    /// Starts no new flush until the answer is disposed: on an idle group commit, the items queued
    /// meanwhile (by one caller that issues several writes without awaiting them) leave together; a
    /// flush already running takes what is queued as usual. Holds may nest and come from several
    /// callers; the last one disposed lets the queue go.
    /// </summary>
    public IDisposable Hold()
    {
        lock (_gate)
        {
            _held++;
        }

        return new Held(this);
    }

    private void Release()
    {
        bool start;
        lock (_gate)
        {
            _held--;
            start = _held == 0 && _pending.Count > 0 && _running < MaxConcurrentFlushes;
            if (start)
            {
                _running++;
            }
        }

        if (start)
        {
            _ = Task.Run(FlushLoopAsync);
        }
    }

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            List<(TItem Item, TaskCompletionSource<TResult> Done)> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _running--;
                    return;
                }

                var take = Math.Min(_pending.Count, MaxBatch);
                batch = _pending.GetRange(0, take);
                _pending.RemoveRange(0, take);
            }

            await WriteAsync(batch);
        }
    }

    private async Task WriteAsync(List<(TItem Item, TaskCompletionSource<TResult> Done)> batch)
    {
        IReadOnlyList<TResult> results;
        try
        {
            results = await flush([.. batch.Select(b => b.Item)]);
            if (results.Count != batch.Count)
            {
                throw new InvalidOperationException($"A group-commit flush answered {results.Count} results for {batch.Count} items.");
            }
        }
        catch (Exception e) when (batch.Count > 1 && retryAlone(e))
        {
            Interlocked.Increment(ref _retriedAlone);
            foreach (var one in batch)
            {
                await WriteAsync([one]);
            }

            return;
        }
        catch (Exception e)
        {
            foreach (var (_, done) in batch)
            {
                done.TrySetException(e);
            }

            return;
        }

        Interlocked.Increment(ref _transactions);
        Interlocked.Add(ref _items, batch.Count);
        long largest;
        while (batch.Count > (largest = Interlocked.Read(ref _largest)) && Interlocked.CompareExchange(ref _largest, batch.Count, largest) != largest)
        {
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(results[i]);
        }
    }

    private sealed class Held(GroupCommit<TItem, TResult> owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release();
            }
        }
    }
}
