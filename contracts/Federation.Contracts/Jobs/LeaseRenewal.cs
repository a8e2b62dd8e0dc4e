using Federation.Contracts.Ids;

namespace Federation.Contracts.Jobs;

/// <summary>The executing nation renews its lease on one epoch (<c>POST /federation/v1/jobs/leases</c>).</summary>
/// <param name="Job">The job.</param>
/// <param name="Epoch">The epoch it runs.</param>
[GenerateSerializer, Immutable, Alias("fed.LeaseRenewal")]
public sealed record LeaseRenewal(
    [property: Id(0)] JobRef Job,
    [property: Id(1)] int Epoch);
