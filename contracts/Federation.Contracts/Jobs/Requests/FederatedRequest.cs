namespace Federation.Contracts.Jobs.Requests;

/// <summary>The <c>federated</c> part of a job body: train where the data lives, aggregate in one nation.</summary>
public sealed class FederatedRequest
{
    /// <summary>The allow-listed workload each data nation runs on its own inputs.</summary>
    public WorkloadRequest? Training { get; set; }

    /// <summary>How updates are combined; FedAvg when left out.</summary>
    public AggregationRequest? Aggregation { get; set; }

    /// <summary>How many rounds at most (1 to 1000).</summary>
    public int? Rounds { get; set; }

    /// <summary>When training stops before the last round; after the rounds when left out.</summary>
    public StoppingRequest? Stopping { get; set; }

    /// <summary>What a round does when a step fails or its nation goes down; wait 60 minutes when left out.</summary>
    public RoundPolicyRequest? RoundPolicy { get; set; }

    /// <summary>Whether updates are masked pairwise; true when left out.</summary>
    public bool? SecureAggregation { get; set; }

    /// <summary>The fewest contributing nations besides the aggregator; 2 with secure aggregation, 1 without, when left out.</summary>
    public int? MinContributors { get; set; }

    /// <summary>Differential privacy of the updates; off when left out.</summary>
    public PrivacyRequest? Privacy { get; set; }

    /// <summary>The model the aggregating nation registers when the job succeeds; named after the job when left out.</summary>
    public FederatedOutputRequest? Output { get; set; }
}
