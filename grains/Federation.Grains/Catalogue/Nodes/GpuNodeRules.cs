using System.Globalization;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Results;
using Federation.Reference;
using Federation.Routing.Energy;

namespace Federation.Grains.Catalogue.Nodes;

/// <summary>
/// The pure rules of a GPU node's record: its power figure, heartbeats, lease expiry, draining and
/// the allocation bookkeeping. Each takes the current record and the time and returns the next
/// record (or a refusal); the grain persists and projects it.
/// </summary>
public static class GpuNodeRules
{
    /// <summary>The node's power: the measured draw when a heartbeat reports one, else its accelerators' TDP times their count.</summary>
    public static PowerFigure Power(GpuNodeSpec spec, double? measuredWatts, ReferenceTables reference)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(reference);
        return measuredWatts is { } watts ? PowerFigure.Measured(watts) : PowerFigure.Tdp(reference.FindAccelerator(spec.Accelerator), spec.Count);
    }

    /// <summary>The record after a heartbeat at <paramref name="now"/>: up (or still draining), its lease renewed, its power reported.</summary>
    public static GpuNodeRecord Heartbeat(GpuNodeRecord current, PowerFigure power, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        var draining = current.State == NodeState.Draining;
        return current with
        {
            State = draining ? NodeState.Draining : NodeState.Up,
            StateReason = draining ? current.StateReason : "heartbeating",
            LastHeartbeat = now,
            LeaseExpiresAt = now + current.Spec.Lease,
            PowerDrawWatts = power.Watts,
            PowerSource = power.Source,
            Version = current.Version + 1,
            UpdatedAt = now,
        };
    }

    /// <summary>The record marked down when its lease has expired at <paramref name="now"/>; null while the lease holds or the node is already down.</summary>
    public static GpuNodeRecord? Expire(GpuNodeRecord node, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.State == NodeState.Down || (node.LeaseExpiresAt is { } expiry && expiry > now))
        {
            return null;
        }

        var last = node.LastHeartbeat?.ToString("O", CultureInfo.InvariantCulture) ?? "never";
        return node with
        {
            State = NodeState.Down,
            StateReason = string.Create(CultureInfo.InvariantCulture, $"missed heartbeats: last at {last}, lease {node.Spec.Lease.TotalSeconds:0.###} s"),
            PowerDrawWatts = 0,
            Version = node.Version + 1,
            UpdatedAt = now,
        };
    }

    /// <summary>The state a drain request leads to: draining, or back to up with a valid lease (down without one).</summary>
    public static (NodeState State, string Reason) Drain(GpuNodeRecord current, bool draining, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        var leaseValid = current.LeaseExpiresAt is { } expiry && expiry > now;
        return draining
            ? (NodeState.Draining, "draining on operator request")
            : leaseValid ? (NodeState.Up, "heartbeating") : (NodeState.Down, "drain ended; no valid lease");
    }

    /// <summary>
    /// <paramref name="holder"/> takes <paramref name="count"/> accelerators: Ok with the record to store,
    /// Unchanged when it already holds exactly that many, or a Conflict naming the rule.
    /// </summary>
    public static CommandResult<GpuNodeRecord> Allocate(GpuNodeRecord current, string holder, int count, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
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

        return CommandResult.Ok(current with
        {
            Allocations = current.Allocations.Add(new Allocation(holder, count, now)),
            Version = current.Version + 1,
            UpdatedAt = now,
        });
    }

    /// <summary>The record without <paramref name="holder"/>'s allocation; null when it holds none.</summary>
    public static GpuNodeRecord? Release(GpuNodeRecord current, string holder, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current.Allocations.All(a => a.Holder != holder)
            ? null
            : current with { Allocations = current.Allocations.RemoveAll(a => a.Holder == holder), Version = current.Version + 1, UpdatedAt = now };
    }
}
