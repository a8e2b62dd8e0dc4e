using Federation.Contracts.Ids;

namespace Federation.Contracts.Jobs;

/// <summary>The origin asks the executing nation to stop one epoch (<c>POST /federation/v1/jobs/cancellations</c>).</summary>
/// <param name="Job">The job.</param>
/// <param name="Epoch">The epoch to stop.</param>
/// <param name="Reason">Why.</param>
/// <param name="Fenced">True when the epoch is stale (re-routed) rather than cancelled by a user.</param>
[GenerateSerializer, Immutable, Alias("fed.JobCancellation")]
public sealed record JobCancellation(
    [property: Id(0)] JobRef Job,
    [property: Id(1)] int Epoch,
    [property: Id(2)] string Reason,
    [property: Id(3)] bool Fenced);
