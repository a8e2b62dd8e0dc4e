using System.Collections.Immutable;

namespace Federation.Contracts.Catalogue.Nodes;

/// <summary>A GPU node as the catalogue holds it.</summary>
[GenerateSerializer, Immutable, Alias("fed.GpuNodeRecord")]
public sealed record GpuNodeRecord
{
    /// <summary>What the nation states.</summary>
    [Id(0)] public required GpuNodeSpec Spec { get; init; }

    /// <summary>Up, draining or down.</summary>
    [Id(1)] public NodeState State { get; init; }

    /// <summary>Why it is in that state.</summary>
    [Id(2)] public string StateReason { get; init; } = "";

    /// <summary>Active, withdrawn, or deleted (tombstone).</summary>
    [Id(3)] public CatalogueStatus Status { get; init; }

    /// <summary>Last heartbeat received, if any.</summary>
    [Id(4)] public DateTimeOffset? LastHeartbeat { get; init; }

    /// <summary>When the node goes down without another heartbeat.</summary>
    [Id(5)] public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Power draw of the node's accelerators in watts.</summary>
    [Id(6)] public double PowerDrawWatts { get; init; }

    /// <summary>Whether <see cref="PowerDrawWatts"/> was measured or estimated.</summary>
    [Id(7)] public PowerSource PowerSource { get; init; }

    /// <summary>Accelerators held by jobs.</summary>
    [Id(8)] public ImmutableArray<Allocation> Allocations { get; init; } = [];

    /// <summary>Rises by one on every change.</summary>
    [Id(9)] public int Version { get; init; }

    /// <summary>When first registered.</summary>
    [Id(10)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When last changed.</summary>
    [Id(11)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Accelerators not held by any job.</summary>
    public int FreeAccelerators => Spec.Count - Allocations.Sum(a => a.Count);
}
