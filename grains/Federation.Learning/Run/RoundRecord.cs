using System.Collections.Immutable;
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
    [property: Id(9)] DateTimeOffset At);
