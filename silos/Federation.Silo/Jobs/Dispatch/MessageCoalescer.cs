namespace Federation.Silo.Jobs.Dispatch;

/// <summary>
/// Gathers items (messages to one peer) into batches: a batch is handed to the flush callback when it
/// holds <see cref="BatchBounds.MaxMessages"/> items, when the next item would take it past
/// <see cref="BatchBounds.MaxBytes"/>, or <see cref="BatchBounds.FlushDelay"/> after its first item,
/// whichever comes first. Items keep their order within a batch (and across batches for one adding
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
            if (_pending.Count >= Bounds.MaxMessages || _pendingBytes >= Bounds.MaxBytes || Bounds.FlushDelay == TimeSpan.Zero)
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
