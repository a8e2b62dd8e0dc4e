using Federation.Contracts.Ids;

namespace Federation.Contracts.Routing;

/// <summary>Something a federated plan sends from one nation to another in every round, and what allows it.</summary>
/// <param name="From">The sending nation.</param>
/// <param name="To">The receiving nation.</param>
/// <param name="What">What crosses.</param>
/// <param name="Reason">What allows it, e.g. "FR/health-records exports maskedUpdates".</param>
[GenerateSerializer, Immutable, Alias("fed.BorderCrossing")]
public sealed record BorderCrossing(
    [property: Id(0)] NationCode From,
    [property: Id(1)] NationCode To,
    [property: Id(2)] CrossingKind What,
    [property: Id(3)] string Reason);
