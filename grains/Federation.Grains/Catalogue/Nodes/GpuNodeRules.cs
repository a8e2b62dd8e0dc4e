using System.Globalization;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Reference;
using Federation.Routing.Energy;

namespace Federation.Grains.Catalogue.Nodes;

/// <summary>
/// The pure rules of a GPU node's record: its power figure, heartbeats, lease expiry, draining.
/// Allocations are the capacity ledger's (<c>CapacityLedger</c>). Each takes the current record and the time and returns the next
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
}
