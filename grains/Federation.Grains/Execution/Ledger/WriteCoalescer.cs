namespace Federation.Grains.Execution.Ledger;

/// <summary>
/// Coalesces a reentrant grain's writes of its whole state: a caller is answered once a write that started
/// after its change committed; every change made while a write is in flight is carried by the next one (one
/// write for all of them). When a write fails, its callers and those queued behind it see the failure.
/// </summary>
/// <param name="write">Writes the state as it is now; on failure it restores what it can and throws.</param>
public sealed class WriteCoalescer(Func<Task> write)
{
    private TaskCompletionSource? _pending;
    private bool _writing;

    /// <summary>Completes once a write holding the state as it is now committed.</summary>
    public Task WriteAsync()
    {
        _pending ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var written = _pending.Task;
        if (!_writing)
        {
            _writing = true;
            _ = WriteQueuedAsync();
        }

        return written;
    }

    private async Task WriteQueuedAsync()
    {
        while (_pending is { } callers)
        {
            _pending = null;
            try
            {
                await write();
                callers.SetResult();
            }
            catch (Exception e)
            {
                // Changes queued behind a failed write are undone with it.
                callers.SetException(e);
                if (_pending is { } queued)
                {
                    _pending = null;
                    queued.SetException(e);
                }
            }
        }

        _writing = false;
    }
}
