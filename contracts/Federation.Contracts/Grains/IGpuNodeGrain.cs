using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Results;
using Orleans.Concurrency;

namespace Federation.Contracts.Grains;

/// <summary>One GPU node of this nation (key: <see cref="Ids.NodeId.GrainKey"/>).</summary>
[Alias("fed.IGpuNodeGrain"), GrainInterfaceType("fed.IGpuNodeGrain")]
public interface IGpuNodeGrain : IGrainWithStringKey
{
    /// <summary>The node, or null when never registered or deleted. Side-effect free.</summary>
    [Alias("GetAsync"), ReadOnly]
    Task<GpuNodeRecord?> GetAsync();

    /// <summary>Registers the node (down until its first heartbeat); the same spec again is idempotent.</summary>
    [Alias("RegisterAsync")]
    Task<CommandResult<GpuNodeRecord>> RegisterAsync(GpuNodeSpec spec);

    /// <summary>Replaces the spec when <paramref name="expectedVersion"/> is current.</summary>
    [Alias("UpdateAsync")]
    Task<CommandResult<GpuNodeRecord>> UpdateAsync(GpuNodeSpec spec, int expectedVersion);

    /// <summary>Renews the lease: the node is up (unless draining) until the lease runs out.</summary>
    [Alias("HeartbeatAsync")]
    Task<CommandResult<GpuNodeRecord>> HeartbeatAsync(NodeHeartbeat heartbeat);

    /// <summary>Stops giving the node new work (true) or resumes (false).</summary>
    [Alias("SetDrainingAsync")]
    Task<CommandResult<GpuNodeRecord>> SetDrainingAsync(bool draining, int? expectedVersion);

    /// <summary>Deletes the node unless accelerators are allocated on it (the capacity ledger holds allocations, <see cref="ICapacityLedgerGrain"/>).</summary>
    [Alias("DeleteAsync")]
    Task<CommandResult<GpuNodeRecord>> DeleteAsync(int? expectedVersion);

    /// <summary>Writes the current state to the read model again (rebuild).</summary>
    [Alias("RepublishAsync")]
    Task RepublishAsync();
}
