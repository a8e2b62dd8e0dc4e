using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Execution;
using Federation.Grains.Catalogue.Index;
using Federation.Grains.Nations;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Execution.Ledger;

/// <summary>
/// The capacity ledger of this nation's pools as a grain over <see cref="CapacityLedger"/>: held in
/// memory, every change written with the jobs' (group-commit) storage before it is answered; its
/// snapshot is answered from memory. On its first activation in a database that has none it is
/// rebuilt from the node records and their allocations, so an existing nation upgrades in place.
/// </summary>
/// <remarks>
/// Reentrant, so that the changes of many executions share one write: a change is made in memory
/// in its turn (the only await is the write), and every change made while a write is in flight is
/// carried by the next one (one serialization of the ledger and one row write for all of them). A
/// caller is answered once a write holding its change committed. When a write fails, the ledger
/// goes back to what was last written, and the callers of that write and of the changes queued
/// behind it see the failure.
/// </remarks>
[GrainType("capacity-ledger")]
[Orleans.Concurrency.Reentrant]
public sealed partial class CapacityLedgerGrain(
    [PersistentState("capacity-ledger", GrainStorageNames.Jobs)] IPersistentState<CapacityLedgerState> state,
    ICatalogueIndex index,
    LocalNation local,
    ExecutorSettings executor,
    TimeProvider time,
    ILogger<CapacityLedgerGrain> logger)
    : Grain, ICapacityLedgerGrain
{
    private const int MostWokenAtOnce = 32;
    private static readonly TimeSpan s_claimFor = TimeSpan.FromMinutes(1); // a waiting run is heard every few seconds

    private readonly HolderAudit _audit = new(executor.LedgerAudit, HolderAudit.Batch);
    private CapacityLedger _ledger = null!;
    private WaitingLine _line = null!;
    private string _agentPool = NodePool.DefaultAgent.Name;
    private WriteCoalescer _writes = null!;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _writes = new WriteCoalescer(WriteNowAsync);
        _agentPool = executor.Pools.FirstOrDefault(p => p.Kind == NodePoolKind.Agent)?.Name ?? NodePool.DefaultAgent.Name;
        if (state.RecordExists)
        {
            var (nodes, entries) = LedgerPacking.Read(state.State);
            _ledger = new CapacityLedger(nodes, entries);
            _line = new WaitingLine(state.State.Waiting.Values, time.GetUtcNow());
        }
        else
        {
            _ledger = await LedgerRebuild.FromNodeRecordsAsync(index, _agentPool, IsForeign, cancellationToken);
            _line = new WaitingLine([], time.GetUtcNow());
            await _writes.WriteAsync();
            LogRebuilt(logger, _ledger.Nodes.Count, _ledger.Entries.Count);
        }

        this.RegisterGrainTimer(AuditHoldersAsync, new GrainTimerCreationOptions(executor.LedgerAudit, executor.LedgerAudit));
        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<CapacitySnapshot> SnapshotAsync() => Task.FromResult(_ledger.Snapshot());

    /// <inheritdoc />
    public Task<CapacitySnapshot> ClaimForeignAsync(string holder, int count, double maxShare, int otherTotal)
    {
        var now = time.GetUtcNow();
        return Task.FromResult(_ledger.ClaimForeign(holder, count, maxShare, otherTotal, now, now + s_claimFor));
    }

    /// <inheritdoc />
    public async Task<CapacitySnapshot> WaitAsync(string holder, WaitClaim claim)
    {
        var now = time.GetUtcNow();
        // A run that waits uses nothing: what it holds (an allocation whose answer it lost) is given back first.
        var released = _ledger.Holds(holder) && _ledger.Release(holder);
        if (IsForeign(holder))
        {
            _ledger.KeepClaim(holder, claim.Count, now + s_claimFor); // (again, after the ledger's restart)
        }

        var seen = _line.Join(holder, claim, _ledger.Snapshot(), now, out var mustSave);
        if (_line.Prune(now) | mustSave | released)
        {
            await _writes.WriteAsync();
        }

        return seen;
    }

    /// <inheritdoc />
    public async Task LeaveAsync(string holder)
    {
        var wasInLine = _line.Contains(holder);
        _ledger.DropClaim(holder);
        if (_line.Leave(holder))
        {
            await _writes.WriteAsync();
        }

        if (wasInLine)
        {
            WakeWaiting(); // the runs behind it may take what it wanted
        }
    }

    /// <inheritdoc />
    public async Task<ImmutableSortedDictionary<string, int>?> AllocateAsync(string holder, AcceleratorSlug model, int count)
    {
        if (!_ledger.HoldsExactly(holder, model, count)
            && !_line.MayTake(holder, model.Value, count, _ledger.Snapshot().Agents.FirstOrDefault(a => a.Slug == model)?.Free ?? 0, time.GetUtcNow()))
        {
            // Runs ranked ahead of it in line want what is free (what it held and asks for no more goes when it waits).
            return null;
        }

        var outcome = _ledger.Allocate(holder, _agentPool, model, count, IsForeign(holder), time.GetUtcNow());
        var left = outcome.Taken is not null && _line.Leave(holder);
        if (outcome.Changed || left)
        {
            await _writes.WriteAsync();
        }

        return outcome.Taken;
    }

    /// <inheritdoc />
    public async Task HoldAsync(string holder, string pool, AcceleratorSlug model, int count)
    {
        if (_ledger.Hold(holder, pool, model, count, IsForeign(holder), time.GetUtcNow()))
        {
            await _writes.WriteAsync();
        }
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string holder)
    {
        var released = _ledger.Release(holder);
        if (released | _line.Leave(holder))
        {
            await _writes.WriteAsync();
        }

        if (released)
        {
            WakeWaiting();
        }
    }

    /// <inheritdoc />
    public async Task NodeChangedAsync(NodeId node, AcceleratorSlug model, int count, NodeState nodeState)
    {
        if (_ledger.SetNode(new LedgerNode(node.Value, model, count, nodeState)))
        {
            await _writes.WriteAsync();
            WakeWaiting();
        }
    }

    /// <inheritdoc />
    public async Task<ImmutableArray<Allocation>> RemoveNodeAsync(NodeId node)
    {
        var held = _ledger.RemoveNode(node.Value, out var changed);
        if (changed)
        {
            await _writes.WriteAsync();
        }

        return held;
    }

    /// <inheritdoc />
    public Task<ImmutableDictionary<string, ImmutableArray<Allocation>>> HoldingsAsync(ImmutableArray<string> nodes)
    {
        var holdings = ImmutableDictionary.CreateBuilder<string, ImmutableArray<Allocation>>(StringComparer.Ordinal);
        foreach (var node in nodes.IsDefault ? [] : nodes)
        {
            if (_ledger.Holdings(node) is { IsEmpty: false } held)
            {
                holdings[node] = held;
            }
        }

        return Task.FromResult(holdings.ToImmutable());
    }

    /// <inheritdoc />
    public async Task<int> AuditHoldersAsync()
    {
        var holders = _audit.Next(_ledger.Entries, time.GetUtcNow());
        var over = await Task.WhenAll(holders.Select(OverAsync));
        var released = new List<string>();
        for (var i = 0; i < holders.Count; i++)
        {
            if (over[i] && _ledger.Release(holders[i]))
            {
                _line.Leave(holders[i]);
                released.Add(holders[i]);
            }
        }

        if (released.Count > 0)
        {
            LogReleasedOver(logger, released.Count, string.Join(", ", released));
            Diagnostics.FederationMetrics.LedgerAuditReleased(released.Count);
            await _writes.WriteAsync();
            WakeWaiting();
        }

        return released.Count;
    }

    private async Task<bool> OverAsync(string holder)
    {
        try
        {
            return HolderAudit.Releasable((await GrainFactory.GetGrain<IExecutionGrain>(holder).GetAsync())?.State);
        }
        catch (Exception e)
        {
            LogAuditFailed(logger, holder, e.Message);
            return false;
        }
    }

    /// <summary>
    /// Wakes the runs in line that may take what is free now (<see cref="WaitingLine.Wakeable"/>), so that a
    /// waiting run does not have to look every few hundred milliseconds. Not awaited: a run calls the
    /// ledger while it looks, and a wake that fails is made up by the run's own recheck.
    /// </summary>
    private void WakeWaiting()
    {
        foreach (var holder in _line.Wakeable(_ledger.Snapshot(), time.GetUtcNow(), MostWokenAtOnce))
        {
            _ = WakeAsync(holder);
        }
    }

    private async Task WakeAsync(string holder)
    {
        try
        {
            await GrainFactory.GetGrain<IExecutionGrain>(holder).WakeAsync();
        }
        catch (Exception e)
        {
            LogWakeFailed(logger, holder, e.Message);
        }
    }

    private bool IsForeign(string holder) => !holder.StartsWith($"exec-{local.Code}/", StringComparison.Ordinal);

    /// <summary>Writes the ledger as it is now (<see cref="WriteCoalescer"/>: see the remarks on the class).</summary>
    private async Task WriteNowAsync()
    {
        var written = state.State;
        try
        {
            state.State = LedgerPacking.Save(_ledger, _line.Saved, executor.PackLedger);
            await state.WriteStateAsync();
        }
        catch
        {
            // The write may have reached the database or not: this activation goes, the next reads the truth.
            state.State = written;
            var (nodes, entries) = LedgerPacking.Read(written);
            _ledger = new CapacityLedger(nodes, entries);
            DeactivateOnIdle();
            throw;
        }
    }

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Could not wake {Holder}, waiting for accelerators (its own recheck finds them): {Reason}")]
    private static partial void LogWakeFailed(ILogger logger, string holder, string reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Capacity ledger released what {Count} executions held after their ending (their release was lost): {Holders}")]
    private static partial void LogReleasedOver(ILogger logger, int count, string holders);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "Capacity ledger could not ask {Holder} whether it is over (asked again at the next round): {Reason}")]
    private static partial void LogAuditFailed(ILogger logger, string holder, string reason);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Capacity ledger rebuilt from the node records: {Nodes} nodes, {Entries} holders")]
    private static partial void LogRebuilt(ILogger logger, int nodes, int entries);
}
