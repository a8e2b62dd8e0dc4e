using System.Globalization;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Results;
using Federation.Grains.Catalogue.Index;
using Federation.Reference;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Catalogue.Nodes;

/// <summary>
/// One GPU node. A heartbeat renews its lease; a grain timer notices an expired lease and marks
/// the node down by itself. A reminder (at most once a minute) is only the durable backstop that
/// re-activates the grain, and so its timer, after a silo restart.
/// </summary>
[GrainType("gpu-node")]
public sealed partial class GpuNodeGrain(
    [PersistentState("gpu-node", GrainStorageNames.Catalogue)] IPersistentState<GpuNodeState> state,
    ICatalogueIndex index,
    ReferenceTables reference,
    TimeProvider time,
    ILogger<GpuNodeGrain> logger)
    : CatalogueGrain<GpuNodeState, GpuNodeRecord>(state, logger), IGpuNodeGrain, IRemindable
{
    private const string LeaseReminder = "lease-backstop";
    private static readonly TimeSpan s_maxCheckInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_minCheckInterval = TimeSpan.FromMilliseconds(250);

    private IGrainTimer? _leaseTimer;
    private bool _ledgerBehind;

    private GpuNodeRecord? Live => Current is { Status: not CatalogueStatus.Deleted } r ? r : null;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (Live is { } node)
        {
            try
            {
                await TellLedgerAsync(node);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The node answers without it (a bill reads its power, an agent heartbeats); its next commit tells the ledger.
                _ledgerBehind = true;
                LogLedgerUnanswered(logger, node.Spec.Id.Value, e.Message);
            }

            if (!node.Allocations.IsEmpty)
            {
                // A record from before the capacity ledger: the ledger was rebuilt from these
                // allocations on its first activation and holds them now; the copy here goes.
                await CommitAsync(node with { Allocations = [], Version = node.Version + 1, UpdatedAt = time.GetUtcNow() });
            }
        }

        if (Live is { State: not NodeState.Down })
        {
            StartLeaseTimer();
            await CheckLeaseAsync();
        }
    }

    /// <inheritdoc />
    public Task<GpuNodeRecord?> GetAsync() => Task.FromResult(Live);

    /// <inheritdoc />
    public async Task<CommandResult<GpuNodeRecord>> RegisterAsync(GpuNodeSpec spec)
    {
        if (Live is { } existing)
        {
            return existing.Spec == spec
                ? CommandResult.Unchanged(existing)
                : CommandResult.Refused(CommandStatus.Conflict, $"node {spec.Id} is already registered (version {existing.Version}); change it with PUT and If-Match", existing);
        }

        var now = time.GetUtcNow();
        var record = new GpuNodeRecord
        {
            Spec = spec,
            State = NodeState.Down,
            StateReason = "registered; waiting for the first heartbeat",
            Status = CatalogueStatus.Active,
            PowerDrawWatts = GpuNodeRules.Power(spec, null, reference).Watts,
            PowerSource = PowerSource.TdpEstimate,
            Version = (Current?.Version ?? 0) + 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        return CommandResult.Created(await CommitAndTellAsync(record));
    }

    /// <inheritdoc />
    public async Task<CommandResult<GpuNodeRecord>> UpdateAsync(GpuNodeSpec spec, int expectedVersion)
    {
        if (Check(expectedVersion) is { } refused)
        {
            return refused;
        }

        var current = Live!;
        if (current.Spec == spec)
        {
            return CommandResult.Unchanged(current);
        }

        var now = time.GetUtcNow();
        var updated = current with
        {
            Spec = spec,
            LeaseExpiresAt = current.LastHeartbeat is { } last ? last + spec.Lease : null,
            PowerDrawWatts = current.PowerSource == PowerSource.Measured ? current.PowerDrawWatts : GpuNodeRules.Power(spec, null, reference).Watts,
            Version = current.Version + 1,
            UpdatedAt = now,
        };
        return CommandResult.Ok(await CommitAndTellAsync(updated));
    }

    /// <inheritdoc />
    public async Task<CommandResult<GpuNodeRecord>> HeartbeatAsync(NodeHeartbeat heartbeat)
    {
        if (Check(null) is { } refused)
        {
            return refused;
        }

        var current = Live!;
        var wasDown = current.State == NodeState.Down;
        var committed = await CommitAndTellAsync(GpuNodeRules.Heartbeat(current, GpuNodeRules.Power(current.Spec, heartbeat.PowerDrawWatts, reference), time.GetUtcNow()));
        if (wasDown)
        {
            LogNodeUp(logger, current.Spec.Id.Value);
            await this.RegisterOrUpdateReminder(LeaseReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }

        StartLeaseTimer();
        return CommandResult.Ok(committed);
    }

    /// <inheritdoc />
    public async Task<CommandResult<GpuNodeRecord>> SetDrainingAsync(bool draining, int? expectedVersion)
    {
        if (Check(expectedVersion) is { } refused)
        {
            return refused;
        }

        var current = Live!;
        var (target, reason) = GpuNodeRules.Drain(current, draining, time.GetUtcNow());
        if (current.State == target)
        {
            return CommandResult.Unchanged(current);
        }

        return CommandResult.Ok(await CommitAndTellAsync(current with { State = target, StateReason = reason, Version = current.Version + 1, UpdatedAt = time.GetUtcNow() }));
    }

    /// <inheritdoc />
    public async Task<CommandResult<GpuNodeRecord>> DeleteAsync(int? expectedVersion)
    {
        if (Check(expectedVersion) is { } refused)
        {
            return refused;
        }

        var current = Live!;
        var held = await Ledger.RemoveNodeAsync(current.Spec.Id);
        if (held.Length > 0)
        {
            return CommandResult.Refused(
                CommandStatus.Conflict,
                $"node {current.Spec.Id} has {held.Sum(a => a.Count)} accelerators allocated ({string.Join(", ", held.Select(a => a.Holder))}); drain it and wait for them to finish",
                current);
        }

        GpuNodeRecord tombstone;
        try
        {
            tombstone = await CommitAsync(current with { Status = CatalogueStatus.Deleted, State = NodeState.Down, StateReason = "deleted", Version = current.Version + 1, UpdatedAt = time.GetUtcNow() });
        }
        catch (StorageUnavailableException)
        {
            // Not deleted after all: the ledger knows the node again.
            await TellLedgerAsync(current);
            throw;
        }

        await StopWatchingAsync();
        return CommandResult.Ok(tombstone);
    }

    /// <inheritdoc />
    public Task RepublishAsync() => RepublishCurrentAsync();

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Live is { State: not NodeState.Down })
        {
            StartLeaseTimer();
            await CheckLeaseAsync();
        }
        else
        {
            await StopWatchingAsync();
        }
    }

    /// <inheritdoc />
    protected override Task ProjectAsync(GpuNodeRecord record, CancellationToken cancellationToken) =>
        index.UpsertNodeAsync(record, cancellationToken);

    private ICapacityLedgerGrain Ledger => GrainFactory.GetGrain<ICapacityLedgerGrain>(ICapacityLedgerGrain.Agents);

    /// <summary>Commits <paramref name="next"/>, and tells the ledger when the node's model, count or state changed (a heartbeat that changes nothing costs the ledger nothing).</summary>
    private async Task<GpuNodeRecord> CommitAndTellAsync(GpuNodeRecord next)
    {
        var before = Live;
        var committed = await CommitAsync(next);
        if (_ledgerBehind || before is null || before.State != committed.State || before.Spec.Accelerator != committed.Spec.Accelerator || before.Spec.Count != committed.Spec.Count)
        {
            _ledgerBehind = true; // until the ledger took it
            await TellLedgerAsync(committed);
            _ledgerBehind = false;
        }

        return committed;
    }

    private Task TellLedgerAsync(GpuNodeRecord node) => Ledger.NodeChangedAsync(node.Spec.Id, node.Spec.Accelerator, node.Spec.Count, node.State);

    private void StartLeaseTimer()
    {
        if (_leaseTimer is not null || Live is not { } node)
        {
            return;
        }

        var interval = TimeSpan.FromTicks(Math.Clamp(node.Spec.Lease.Ticks / 4, s_minCheckInterval.Ticks, s_maxCheckInterval.Ticks));
        _leaseTimer = this.RegisterGrainTimer(
            _ => CheckLeaseAsync(),
            new GrainTimerCreationOptions { DueTime = interval, Period = interval, KeepAlive = true, Interleave = false });
    }

    private async Task CheckLeaseAsync()
    {
        if (Live is not { } node || GpuNodeRules.Expire(node, time.GetUtcNow()) is not { } expired)
        {
            return;
        }

        await CommitAndTellAsync(expired);
        LogLeaseExpired(logger, node.Spec.Id.Value, node.LastHeartbeat?.ToString("O", CultureInfo.InvariantCulture) ?? "never");
        await StopWatchingAsync();
    }

    private async Task StopWatchingAsync()
    {
        _leaseTimer?.Dispose();
        _leaseTimer = null;
        if (await this.GetReminder(LeaseReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private CommandResult<GpuNodeRecord>? Check(int? expectedVersion)
    {
        if (Live is not { } current)
        {
            return CommandResult.Refused<GpuNodeRecord>(CommandStatus.NotFound, $"node {NodeId.FromGrainKey(this.GetPrimaryKeyString())} is not registered");
        }

        return expectedVersion is { } v && v != current.Version
            ? CommandResult.Refused(CommandStatus.VersionMismatch, $"version {v} is stale: the node is at version {current.Version}; GET it again and retry", current)
            : null;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Node {NodeId} missed its lease (last heartbeat {LastHeartbeat}); marked down")]
    private static partial void LogLeaseExpired(ILogger logger, string nodeId, string lastHeartbeat);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Node {NodeId} could not tell the capacity ledger its state on activation; it tells it at its next heartbeat: {Reason}")]
    private static partial void LogLedgerUnanswered(ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Node {NodeId} is up")]
    private static partial void LogNodeUp(ILogger logger, string nodeId);
}
