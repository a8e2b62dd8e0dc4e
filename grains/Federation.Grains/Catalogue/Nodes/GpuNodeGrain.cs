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

    private GpuNodeRecord? Live => Current is { Status: not CatalogueStatus.Deleted } r ? r : null;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
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
            PowerDrawWatts = EstimatedPower(spec),
            PowerSource = PowerSource.TdpEstimate,
            Version = (Current?.Version ?? 0) + 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        return CommandResult.Created(await CommitAsync(record));
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
            PowerDrawWatts = current.PowerSource == PowerSource.Measured ? current.PowerDrawWatts : EstimatedPower(spec),
            Version = current.Version + 1,
            UpdatedAt = now,
        };
        return CommandResult.Ok(await CommitAsync(updated));
    }

    /// <inheritdoc />
    public async Task<CommandResult<GpuNodeRecord>> HeartbeatAsync(NodeHeartbeat heartbeat)
    {
        if (Check(null) is { } refused)
        {
            return refused;
        }

        var current = Live!;
        var now = time.GetUtcNow();
        var wasDown = current.State == NodeState.Down;
        var updated = current with
        {
            State = current.State == NodeState.Draining ? NodeState.Draining : NodeState.Up,
            StateReason = current.State == NodeState.Draining ? current.StateReason : "heartbeating",
            LastHeartbeat = now,
            LeaseExpiresAt = now + current.Spec.Lease,
            PowerDrawWatts = heartbeat.PowerDrawWatts ?? EstimatedPower(current.Spec),
            PowerSource = heartbeat.PowerDrawWatts is null ? PowerSource.TdpEstimate : PowerSource.Measured,
            Version = current.Version + 1,
            UpdatedAt = now,
        };
        var committed = await CommitAsync(updated);
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
        var leaseValid = current.LeaseExpiresAt is { } expiry && expiry > time.GetUtcNow();
        var (target, reason) = draining
            ? (NodeState.Draining, "draining on operator request")
            : leaseValid ? (NodeState.Up, "heartbeating") : (NodeState.Down, "drain ended; no valid lease");
        if (current.State == target)
        {
            return CommandResult.Unchanged(current);
        }

        return CommandResult.Ok(await CommitAsync(current with { State = target, StateReason = reason, Version = current.Version + 1, UpdatedAt = time.GetUtcNow() }));
    }

    /// <inheritdoc />
    public async Task<CommandResult<GpuNodeRecord>> DeleteAsync(int? expectedVersion)
    {
        if (Check(expectedVersion) is { } refused)
        {
            return refused;
        }

        var current = Live!;
        if (current.Allocations.Length > 0)
        {
            return CommandResult.Refused(
                CommandStatus.Conflict,
                $"node {current.Spec.Id} has {current.Allocations.Sum(a => a.Count)} accelerators allocated ({string.Join(", ", current.Allocations.Select(a => a.Holder))}); drain it and wait for them to finish",
                current);
        }

        var tombstone = await CommitAsync(current with { Status = CatalogueStatus.Deleted, State = NodeState.Down, StateReason = "deleted", Version = current.Version + 1, UpdatedAt = time.GetUtcNow() });
        await StopWatchingAsync();
        return CommandResult.Ok(tombstone);
    }

    /// <inheritdoc />
    public async Task<CommandResult<GpuNodeRecord>> AllocateAsync(string holder, int count)
    {
        if (Check(null) is { } refused)
        {
            return refused;
        }

        var current = Live!;
        if (current.Allocations.FirstOrDefault(a => a.Holder == holder) is { } held)
        {
            return held.Count == count
                ? CommandResult.Unchanged(current)
                : CommandResult.Refused(CommandStatus.Conflict, $"{holder} already holds {held.Count} accelerators of node {current.Spec.Id}", current);
        }

        if (current.State != NodeState.Up)
        {
            return CommandResult.Refused(CommandStatus.Conflict, $"node {current.Spec.Id} is {current.State.ToString().ToLowerInvariant()} ({current.StateReason})", current);
        }

        if (count < 1 || count > current.FreeAccelerators)
        {
            return CommandResult.Refused(CommandStatus.Conflict, $"node {current.Spec.Id} has {current.FreeAccelerators} free accelerators, {holder} asked for {count}", current);
        }

        var updated = current with
        {
            Allocations = current.Allocations.Add(new Allocation(holder, count, time.GetUtcNow())),
            Version = current.Version + 1,
            UpdatedAt = time.GetUtcNow(),
        };
        return CommandResult.Ok(await CommitAsync(updated));
    }

    /// <inheritdoc />
    public async Task<CommandResult<GpuNodeRecord>> ReleaseAsync(string holder)
    {
        if (Current is not { } current || current.Allocations.All(a => a.Holder != holder))
        {
            return Current is { } unchanged ? CommandResult.Unchanged(unchanged) : CommandResult.Refused<GpuNodeRecord>(CommandStatus.NotFound, "no such node");
        }

        var updated = current with
        {
            Allocations = current.Allocations.RemoveAll(a => a.Holder == holder),
            Version = current.Version + 1,
            UpdatedAt = time.GetUtcNow(),
        };
        return CommandResult.Ok(await CommitAsync(updated));
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
        if (Live is not { State: not NodeState.Down } node)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (node.LeaseExpiresAt is { } expiry && expiry > now)
        {
            return;
        }

        var last = node.LastHeartbeat?.ToString("O", CultureInfo.InvariantCulture) ?? "never";
        await CommitAsync(node with
        {
            State = NodeState.Down,
            StateReason = $"missed heartbeats: last at {last}, lease {node.Spec.Lease.TotalSeconds:0.###} s",
            PowerDrawWatts = 0,
            Version = node.Version + 1,
            UpdatedAt = now,
        });
        LogLeaseExpired(logger, node.Spec.Id.Value, last);
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

    private double EstimatedPower(GpuNodeSpec spec) =>
        (reference.FindAccelerator(spec.Accelerator)?.TdpWatts ?? 0) * spec.Count;

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

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Node {NodeId} is up")]
    private static partial void LogNodeUp(ILogger logger, string nodeId);
}
