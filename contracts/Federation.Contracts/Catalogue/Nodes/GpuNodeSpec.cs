using System.Text.Json.Serialization;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Catalogue.Nodes;

/// <summary>What a nation states about one of its GPU nodes.</summary>
[GenerateSerializer, Immutable, Alias("fed.GpuNodeSpec")]
public sealed record GpuNodeSpec
{
    /// <summary>Id within the nation.</summary>
    [Id(0)] public required NodeId Id { get; init; }

    /// <summary>Data centre or site name.</summary>
    [Id(1)] public required string Site { get; init; }

    /// <summary>Accelerator model, a slug of the accelerator table.</summary>
    [Id(2)] public required AcceleratorSlug Accelerator { get; init; }

    /// <summary>Number of accelerators.</summary>
    [Id(3)] public required int Count { get; init; }

    /// <summary>Memory per accelerator in GB (the table's figure unless stated).</summary>
    [Id(4)] public required double MemoryGb { get; init; }

    /// <summary>How long a heartbeat keeps the node up.</summary>
    [Id(5), JsonIgnore] public TimeSpan Lease { get; init; }

    /// <summary>The lease in seconds, as JSON carries it.</summary>
    public double LeaseSeconds
    {
        get => Lease.TotalSeconds;
        init => Lease = TimeSpan.FromSeconds(value);
    }

    /// <summary>
    /// True for a demo node without hardware: a simulated agent inside the silo sends its
    /// heartbeats, and jobs on it run in the simulator only.
    /// </summary>
    [Id(6)] public bool Simulated { get; init; }
}
