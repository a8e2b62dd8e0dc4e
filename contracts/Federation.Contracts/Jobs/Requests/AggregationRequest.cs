namespace Federation.Contracts.Jobs.Requests;

/// <summary>An aggregation rule: <c>{"rule": "fedavg"}</c> or <c>{"rule": "fedprox", "mu": 0.01}</c>.</summary>
public sealed class AggregationRequest
{
    /// <summary><c>fedavg</c> (weighted by sample count) or <c>fedprox</c>.</summary>
    public string? Rule { get; set; }

    /// <summary>FedProx's proximal weight, more than 0 and at most 10.</summary>
    public double? Mu { get; set; }
}
