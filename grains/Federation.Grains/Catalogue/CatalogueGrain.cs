using Federation.Contracts.Results;
using Federation.Grains.Catalogue.Index;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Catalogue;

/// <summary>
/// What every catalogue grain does the same way: commit a new record to grain storage (undoing the
/// in-memory change and re-reading on failure), then project it into the read model; a projection
/// that fails is retried by a timer, and every activation projects again, so that a crash between
/// the two writes heals itself. A record the read model refuses for good
/// (<see cref="ReadModelRejectedException"/>) is not retried: the index dead-lettered it.
/// </summary>
public abstract partial class CatalogueGrain<TState, TRecord> : Grain
    where TState : class, IRecordHolder<TRecord>, new()
    where TRecord : class
{
    private static readonly TimeSpan s_projectionRetry = TimeSpan.FromSeconds(2);

    private readonly IPersistentState<TState> _state;
    private readonly ILogger _logger;
    private IGrainTimer? _projectionRetry;

    /// <summary>Creates the grain on its persistent state.</summary>
    protected CatalogueGrain(IPersistentState<TState> state, ILogger logger)
    {
        _state = state;
        _logger = logger;
    }

    /// <summary>This grain's key.</summary>
    protected string GrainKey => this.GetPrimaryKeyString();

    /// <summary>The stored record, tombstones included.</summary>
    protected TRecord? Current => _state.State.Record;

    /// <summary>Writes <paramref name="record"/> to the read model.</summary>
    protected abstract Task ProjectAsync(TRecord record, CancellationToken cancellationToken);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Current is { } record)
        {
            await TryProjectAsync(record, cancellationToken);
        }
    }

    /// <summary>Persists <paramref name="record"/>, then projects it. Throws <see cref="StorageUnavailableException"/> when storage fails.</summary>
    protected async Task<TRecord> CommitAsync(TRecord record)
    {
        var previous = _state.State;
        _state.State = new TState { Record = record };
        try
        {
            await _state.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The write may or may not have reached the database: drop this activation so that
            // the next call re-reads the truth (and a fresh ETag) instead of trusting memory.
            _state.State = previous;
            DeactivateOnIdle();
            LogCommitFailed(_logger, GrainKey, e);
            throw new StorageUnavailableException(
                "The nation's store did not confirm the write, so nothing was acknowledged. Retry the request; if it keeps failing, check the database.",
                e);
        }

        await TryProjectAsync(record, CancellationToken.None);
        return record;
    }

    /// <summary>Projects the current record again (the read model's rebuild).</summary>
    protected Task RepublishCurrentAsync() =>
        Current is { } record ? ProjectAsync(record, CancellationToken.None) : Task.CompletedTask;

    private async Task TryProjectAsync(TRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await ProjectAsync(record, cancellationToken);
            _projectionRetry?.Dispose();
            _projectionRetry = null;
        }
        catch (ReadModelRejectedException e)
        {
            // Retrying cannot cure it: the index dead-lettered the record with the reason.
            LogProjectionRejected(_logger, GrainKey, e.Reason);
            _projectionRetry?.Dispose();
            _projectionRetry = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogProjectionFailed(_logger, GrainKey, e);
            _projectionRetry ??= this.RegisterGrainTimer(
                RetryProjectionAsync,
                new GrainTimerCreationOptions { DueTime = s_projectionRetry, Period = s_projectionRetry, KeepAlive = true, Interleave = false });
        }
    }

    private async Task RetryProjectionAsync(CancellationToken cancellationToken)
    {
        if (Current is { } record)
        {
            try
            {
                await ProjectAsync(record, cancellationToken);
                LogProjectionRepaired(_logger, GrainKey);
            }
            catch (ReadModelRejectedException e)
            {
                LogProjectionRejected(_logger, GrainKey, e.Reason);
            }
        }

        _projectionRetry?.Dispose();
        _projectionRetry = null;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Storage write of {GrainKey} failed; the activation will re-read its state")]
    private static partial void LogCommitFailed(ILogger logger, string grainKey, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Read-model write of {GrainKey} failed; retrying until it succeeds")]
    private static partial void LogProjectionFailed(ILogger logger, string grainKey, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Read-model write of {GrainKey} refused permanently ({Reason}); dead-lettered in read_model_dead_letter and not retried")]
    private static partial void LogProjectionRejected(ILogger logger, string grainKey, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Read model of {GrainKey} repaired")]
    private static partial void LogProjectionRepaired(ILogger logger, string grainKey);
}
