using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Ids;
using Federation.Grains.Catalogue.Nodes;
using Federation.Reference;

namespace Federation.Unit.Tests.Nodes;

/// <summary>The GPU node's pure rules: power figure, heartbeat, lease expiry, and drain (allocations: CapacityLedgerTests).</summary>
public sealed class GpuNodeRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly GpuNodeSpec Spec = new()
    {
        Id = TypedId.Parse<NodeId>("node-fr-1"),
        Site = "paris",
        Accelerator = TypedId.Parse<AcceleratorSlug>("h100-sxm"),
        Count = 8,
        MemoryGb = 80,
        Lease = TimeSpan.FromSeconds(30),
    };

    private static GpuNodeRecord Node(NodeState state = NodeState.Up, DateTimeOffset? leaseExpires = null) => new()
    {
        Spec = Spec,
        State = state,
        StateReason = state == NodeState.Draining ? "draining on operator request" : "heartbeating",
        Status = CatalogueStatus.Active,
        LastHeartbeat = Now.AddSeconds(-10),
        LeaseExpiresAt = leaseExpires ?? Now.AddSeconds(20),
        Version = 3,
    };

    [Fact]
    public void Power_NoMeasurement_IsTdpTimesCount_ElseTheMeasuredDraw()
    {
        var estimate = GpuNodeRules.Power(Spec, null, ReferenceTables.Shipped);
        var measured = GpuNodeRules.Power(Spec, 4200, ReferenceTables.Shipped);

        Assert.Equal((8 * 700.0, PowerSource.TdpEstimate), (estimate.Watts, estimate.Source));
        Assert.Equal((4200.0, PowerSource.Measured), (measured.Watts, measured.Source));
    }

    [Fact]
    public void Heartbeat_DownNode_IsUpWithARenewedLeaseAndItsPower()
    {
        var node = GpuNodeRules.Heartbeat(Node(NodeState.Down), GpuNodeRules.Power(Spec, 4200, ReferenceTables.Shipped), Now);

        Assert.Equal(NodeState.Up, node.State);
        Assert.Equal(Now + Spec.Lease, node.LeaseExpiresAt);
        Assert.Equal(Now, node.LastHeartbeat);
        Assert.Equal((4200.0, PowerSource.Measured), (node.PowerDrawWatts, node.PowerSource));
        Assert.Equal(4, node.Version);
    }

    [Fact]
    public void Heartbeat_DrainingNode_StaysDraining()
    {
        var node = GpuNodeRules.Heartbeat(Node(NodeState.Draining), GpuNodeRules.Power(Spec, null, ReferenceTables.Shipped), Now);

        Assert.Equal((NodeState.Draining, "draining on operator request"), (node.State, node.StateReason));
    }

    [Fact]
    public void Expire_LeaseHolds_Nothing_LeasePast_DownWithZeroPowerAndTheReason()
    {
        Assert.Null(GpuNodeRules.Expire(Node(), Now));
        Assert.Null(GpuNodeRules.Expire(Node(NodeState.Down, Now.AddSeconds(-1)), Now));

        var down = GpuNodeRules.Expire(Node(leaseExpires: Now) with { PowerDrawWatts = 5600 }, Now)!;

        Assert.Equal(NodeState.Down, down.State);
        Assert.Equal(0, down.PowerDrawWatts);
        Assert.StartsWith("missed heartbeats: last at 2026-01-01T11:59:50", down.StateReason, StringComparison.Ordinal);
        Assert.EndsWith("lease 30 s", down.StateReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Drain_EndedWithoutAValidLease_IsDown_WithOne_IsUp()
    {
        Assert.Equal(NodeState.Draining, GpuNodeRules.Drain(Node(), true, Now).State);
        Assert.Equal(NodeState.Up, GpuNodeRules.Drain(Node(NodeState.Draining), false, Now).State);
        Assert.Equal(NodeState.Down, GpuNodeRules.Drain(Node(NodeState.Draining, Now.AddSeconds(-1)), false, Now).State);
    }
}
