namespace Federation.Contracts.Peers;

/// <summary>A workload a nation allows, by name and version.</summary>
/// <param name="Name">Workload name.</param>
/// <param name="Version">Workload version.</param>
[GenerateSerializer, Immutable, Alias("fed.WorkloadRef")]
public sealed record WorkloadRef(
    [property: Id(0)] string Name,
    [property: Id(1)] string Version);
