namespace Federation.Contracts.Jobs;

/// <summary>How the aggregating nation combines the contributors' updates into the next model.</summary>
public enum AggregationRule
{
    /// <summary>FedAvg: the mean of the updates weighted by each contributor's sample count.</summary>
    Fedavg = 0,

    /// <summary>FedProx: FedAvg aggregation, with local steps penalised by mu/2 x |w - w_global|^2.</summary>
    Fedprox = 1,
}
