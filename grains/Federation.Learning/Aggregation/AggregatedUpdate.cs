using System.Collections.Immutable;

namespace Federation.Learning.Aggregation;

/// <summary>A round's aggregated update: the weighted mean, the total weight, how many nations contributed, and the privacy budget spent (null without DP).</summary>
[GenerateSerializer, Immutable, Alias("fed.learning.AggregatedUpdate")]
public sealed record AggregatedUpdate(
    [property: Id(0)] ImmutableArray<double> Update,
    [property: Id(1)] double TotalWeight,
    [property: Id(2)] int Contributors,
    [property: Id(3)] PrivacyBudget? Budget);
