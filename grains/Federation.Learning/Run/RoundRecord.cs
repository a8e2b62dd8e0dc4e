using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Ids;
using Federation.Learning.Aggregation;

namespace Federation.Learning.Run;

/// <summary>What one attempt of a round came to: completed with its contributors and loss, or skipped, stopped, failed or retried with the reason.</summary>
[GenerateSerializer, Immutable, Alias("fed.learning.RoundRecord")]
public sealed record RoundRecord(
    [property: Id(0)] int Round,
    [property: Id(1)] int Attempt,
    [property: Id(2)] string Outcome,
    [property: Id(3)] ImmutableArray<NationCode> Contributors,
    [property: Id(4)] ImmutableArray<NationCode> Dropped,
    [property: Id(5)] double? ValidationLoss,
    [property: Id(6)] double? ValidationAccuracy,
    [property: Id(7)] PrivacyBudget? Budget,
    [property: Id(8)] string? Reason,
    [property: Id(9)] DateTimeOffset At)
{
    /// <summary>
    /// The local steps of this attempt whose cost reached the aggregator, one per nation in code order: <c>local-train</c>
    /// in a completed round, <c>local-train-discarded</c> in an attempt that did not complete (its energy was spent all the same).
    /// </summary>
    [Id(10)] public ImmutableArray<LineageStep> Steps { get; init; } = [];
}
