using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Routing;

/// <summary>
/// A routing decision as a stored, replayable object: every candidate nation with the filters
/// that excluded it or its score components, the ranking, and the chosen nation.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.RoutingDecision")]
public sealed record RoutingDecision
{
    /// <summary>The job.</summary>
    [Id(0)] public required JobRef Job { get; init; }

    /// <summary>When the decision was made.</summary>
    [Id(1)] public required DateTimeOffset DecidedAt { get; init; }

    /// <summary>The best-ranked feasible nation; null when the job can run nowhere.</summary>
    [Id(2)] public NationCode? Chosen { get; init; }

    /// <summary>One sentence: where and why, or why nowhere.</summary>
    [Id(3)] public required string Summary { get; init; }

    /// <summary>Every candidate: feasible ones by rank, then excluded ones by nation code.</summary>
    [Id(4)] public ImmutableArray<CandidateVerdict> Candidates { get; init; } = [];

    /// <summary>The weights and constants the scores were computed with.</summary>
    [Id(5)] public required ScoreWeights Weights { get; init; }

    /// <summary>For a federated job, its plan (local steps, aggregator, border crossings); null for an ordinary job.</summary>
    [Id(6)] public FederatedPlan? Federated { get; init; }

    /// <summary>For a deferrable job, the carbon-aware window chosen (or why it runs now); null otherwise.</summary>
    [Id(7)] public TimeShift? TimeShift { get; init; }

    /// <inheritdoc />
    public bool Equals(RoutingDecision? other) =>
        other is not null && Job == other.Job && DecidedAt == other.DecidedAt && Chosen == other.Chosen
        && Summary == other.Summary && Candidates.SequenceEqual(other.Candidates) && Weights == other.Weights && Federated == other.Federated && TimeShift == other.TimeShift;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Job, DecidedAt, Chosen);
}
