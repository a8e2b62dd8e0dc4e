namespace Federation.Contracts.Jobs;

/// <summary>The aggregation rule of a federated job, with its parameter.</summary>
/// <param name="Rule">FedAvg or FedProx.</param>
/// <param name="Mu">FedProx's proximal weight (more than 0); null for FedAvg.</param>
[GenerateSerializer, Immutable, Alias("fed.FederatedAggregation")]
public sealed record FederatedAggregation(
    [property: Id(0)] AggregationRule Rule,
    [property: Id(1)] double? Mu = null)
{
    /// <summary>FedAvg, weighted by sample count.</summary>
    public static FederatedAggregation FedAvg { get; } = new(AggregationRule.Fedavg);
}
