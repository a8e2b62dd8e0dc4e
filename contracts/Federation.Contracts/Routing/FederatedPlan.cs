using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Routing;

/// <summary>
/// The plan of a federated job, as pure as a routing decision: a local step in each data nation, one
/// aggregating nation, what crosses which border each round, and every nation rejected as the
/// aggregator with its reasons; or, when it cannot be planned, why.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.FederatedPlan")]
public sealed record FederatedPlan
{
    /// <summary>True when every local step has its nation and an aggregator is allowed.</summary>
    [Id(0)] public required bool Planned { get; init; }

    /// <summary>One sentence: the steps and the aggregator, or why the job cannot be planned.</summary>
    [Id(1)] public required string Summary { get; init; }

    /// <summary>The aggregating nation; null when not planned.</summary>
    [Id(2)] public NationCode? Aggregator { get; init; }

    /// <summary>The local steps (one per data nation, by nation code), then the aggregation when planned.</summary>
    [Id(3)] public ImmutableArray<FederatedStep> Steps { get; init; } = [];

    /// <summary>What crosses which border in each round; empty when not planned.</summary>
    [Id(4)] public ImmutableArray<BorderCrossing> Crossings { get; init; } = [];

    /// <summary>Every nation assessed as the aggregator: allowed ones by rank, then rejected ones by nation code.</summary>
    [Id(5)] public ImmutableArray<AggregatorVerdict> Aggregators { get; init; } = [];

    /// <summary>What stops the job being planned whatever the aggregator (an input's export policy, a data nation that cannot run its local step); empty when none.</summary>
    [Id(6)] public ImmutableArray<Exclusion> Refusals { get; init; } = [];

    /// <inheritdoc />
    public bool Equals(FederatedPlan? other) =>
        other is not null && Planned == other.Planned && Summary == other.Summary && Aggregator == other.Aggregator
        && Same(Steps, other.Steps) && Same(Crossings, other.Crossings) && Same(Aggregators, other.Aggregators) && Same(Refusals, other.Refusals);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Planned, Summary, Aggregator);

    private static bool Same<T>(ImmutableArray<T> a, ImmutableArray<T> b) => (a.IsDefault ? [] : a).SequenceEqual(b.IsDefault ? [] : b);
}
