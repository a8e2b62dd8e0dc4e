namespace Federation.Contracts.Catalogue.Nodes;

/// <summary>Accelerators of a node held by one job.</summary>
/// <param name="Holder">The job (global id) holding them.</param>
/// <param name="Count">How many accelerators.</param>
/// <param name="Since">When allocated.</param>
[GenerateSerializer, Immutable, Alias("fed.Allocation")]
public sealed record Allocation(
    [property: Id(0)] string Holder,
    [property: Id(1)] int Count,
    [property: Id(2)] DateTimeOffset Since);
