using Federation.Contracts.Ids;

namespace Federation.Contracts.Peers;

/// <summary>How many accelerators of one model a nation has, and how many are free.</summary>
/// <param name="Slug">Accelerator slug.</param>
/// <param name="Free">Free accelerators on nodes that are up.</param>
/// <param name="Total">All accelerators on nodes that are up or draining.</param>
[GenerateSerializer, Immutable, Alias("fed.AcceleratorCapacity")]
public sealed record AcceleratorCapacity(
    [property: Id(0)] AcceleratorSlug Slug,
    [property: Id(1)] int Free,
    [property: Id(2)] int Total);
