namespace Federation.Learning.Aggregation;

/// <summary>How local training and aggregation combine.</summary>
public enum AggregationAlgorithm
{
    /// <summary>FedAvg (McMahan et al. 2017): the mean of updates weighted by sample count.</summary>
    FedAvg = 0,

    /// <summary>
    /// FedProx (Li et al. 2020): local training minimises the loss plus (mu/2)·‖w − w_global‖²; the
    /// aggregation is FedAvg's. The workload reads mu from the rule.
    /// </summary>
    FedProx = 1,
}
