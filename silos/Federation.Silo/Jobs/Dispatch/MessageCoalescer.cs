namespace Federation.Silo.Jobs.Dispatch;

/// <summary>
/// Gathers items (messages to one peer) into batches: a batch is handed to the flush callback when it
/// holds <see cref="BatchBounds.MaxMessages"/> items, when the next item would take it past
/// <see cref="BatchBounds.MaxBytes"/>, or <see cref="BatchBounds.FlushDelay"/> after its first item,
/// whichever comes first. With <see cref="BatchBounds.SendWhenIdle"/>, an item that finds no batch on
/// its way (every batch handed over was <see cref="Ended"/>) is handed over at once, and the items
/// gathered meanwhile go as soon as the last batch on its way ended. Items keep their order within a batch (and across batches for one adding
/// thread; the protocol does not rely on order between messages). Time comes from the
/// <see cref="TimeProvider"/>, so tests drive it with a fake clock.
/// </summary>
/// <typeparam name="T">The item.</typeparam>
/// <remarks>
/// The callback runs on the thread that completed the batch (the adding caller, or the timer) and
/// outside the coalescer's lock; it must hand the batch off and return, not send it inline.
/// </remarks>
public sealed class MessageCoalescer<T> : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly Action<IReadOnlyList<T>> _flush;
    private List<T> _pending = [];
    private long _pendingBytes;
    private long _generation;
    private int _onTheirWay;
    private ITimer? _timer;
    private bool _disposed;

    /// <summary>A coalescer that hands each full or due batch to <paramref name="flush"/>.</summary>
    /// <param name="bounds">When a batch is full or due.</param>
    /// <param name="time">The clock of the flush delay.</param>
    /// <param name="flush">Takes each batch (never empty).</param>
    public MessageCoalescer(BatchBounds bounds, TimeProvider time, Action<IReadOnlyList<T>> flush)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        ArgumentOutOfRangeException.ThrowIfLessThan(bounds.MaxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bounds.MaxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bounds.FlushDelay, TimeSpan.Zero);
        Bounds = bounds;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _flush = flush ?? throw new ArgumentNullException(nameof(flush));
    }

    /// <summary>When a batch is full or due.</summary>
    public BatchBounds Bounds { get; }

    /// <summary>Items waiting for their batch to be full or due.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Adds <paramref name="item"/> of <paramref name="bytes"/> bytes; may complete one or two batches.</summary>
    /// <exception cref="ObjectDisposedException">The coalescer was disposed.</exception>
    public void Add(T item, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        List<T>? before = null;
        List<T>? full = null;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_pending.Count > 0 && _pendingBytes + bytes > Bounds.MaxBytes)
            {
                before = TakeLocked();
            }

            _pending.Add(item);
            _pendingBytes += bytes;
            if (_pending.Count >= Bounds.MaxMessages || _pendingBytes >= Bounds.MaxBytes || Bounds.FlushDelay == TimeSpan.Zero || Idle)
            {
                full = TakeLocked();
            }
            else if (_pending.Count == 1)
            {
                var generation = _generation;
                _timer = _time.CreateTimer(_ => Due(generation), null, Bounds.FlushDelay, Timeout.InfiniteTimeSpan);
            }
        }

        Hand(before);
        Hand(full);
    }

    /// <summary>Batches handed to the callback whose sending has not <see cref="Ended"/> (counted with <see cref="BatchBounds.SendWhenIdle"/>).</summary>
    public int OnTheirWay
    {
        get
        {
            lock (_lock)
            {
                return _onTheirWay;
            }
        }
    }

    // Taken under the lock: nothing on its way (and before, nothing waiting, or it would have gone).
    private bool Idle => Bounds.SendWhenIdle && _onTheirWay == 0;

    /// <summary>
    /// A batch handed to the callback has been sent (or failed). With <see cref="BatchBounds.SendWhenIdle"/>,
    /// when it was the last on its way, what gathered meanwhile is handed over now.
    /// </summary>
    public void Ended()
    {
        List<T>? batch = null;
        lock (_lock)
        {
            if (!Bounds.SendWhenIdle)
            {
                return;
            }

            _onTheirWay = Math.Max(0, _onTheirWay - 1);
            if (_onTheirWay == 0 && _pending.Count > 0)
            {
                batch = TakeLocked();
            }
        }

        Hand(batch);
    }

    /// <summary>Hands what is pending to the callback now.</summary>
    public void Flush()
    {
        List<T>? batch;
        lock (_lock)
        {
            batch = _pending.Count > 0 ? TakeLocked() : null;
        }

        Hand(batch);
    }

    /// <summary>Hands what is pending to the callback, and takes no more items.</summary>
    public void Dispose()
    {
        List<T>? batch;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            batch = _pending.Count > 0 ? TakeLocked() : null;
        }

        Hand(batch);
    }

    private void Due(long generation)
    {
        List<T>? batch = null;
        lock (_lock)
        {
            // A timer armed for a batch that was already taken (full, or flushed) finds a newer generation.
            if (generation == _generation && _pending.Count > 0)
            {
                batch = TakeLocked();
            }
        }

        Hand(batch);
    }

    private List<T> TakeLocked()
    {
        var batch = _pending;
        _pending = [];
        _pendingBytes = 0;
        _generation++;
        _timer?.Dispose();
        _timer = null;
        if (Bounds.SendWhenIdle)
        {
            _onTheirWay++;
        }

        return batch;
    }

    private void Hand(List<T>? batch)
    {
        if (batch is { Count: > 0 })
        {
            _flush(batch);
        }
    }
}
