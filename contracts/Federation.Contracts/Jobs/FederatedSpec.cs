namespace Federation.Contracts.Jobs;

/// <summary>
/// What makes a job federated: a local training step runs where each input lives, and only what the
/// inputs' export policies allow travels to one aggregating nation, which runs the job's
/// <see cref="JobSpec.Workload"/> to combine the updates, round after round.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.FederatedSpec")]
public sealed record FederatedSpec
{
    /// <summary>The allow-listed workload each data nation runs on its own inputs.</summary>
    [Id(0)] public required WorkloadCall Training { get; init; }

    /// <summary>How the updates are combined.</summary>
    [Id(1)] public FederatedAggregation Aggregation { get; init; } = FederatedAggregation.FedAvg;

    /// <summary>How many rounds at most.</summary>
    [Id(2)] public required int Rounds { get; init; }

    /// <summary>When training stops before the last round, if ever.</summary>
    [Id(3)] public FederatedStopping Stopping { get; init; } = FederatedStopping.AfterRounds;

    /// <summary>What a round does when a step fails or its nation goes down.</summary>
    [Id(4)] public required FederatedRoundPolicy RoundPolicy { get; init; }

    /// <summary>Whether updates are masked pairwise so the aggregator learns only their sum (on unless the spec turns it off).</summary>
    [Id(5)] public bool SecureAggregation { get; init; } = true;

    /// <summary>The fewest contributing nations, besides the aggregating one, a round's sum must include.</summary>
    [Id(6)] public int MinContributors { get; init; } = 2;

    /// <summary>Differential privacy of the updates; null when off.</summary>
    [Id(7)] public DifferentialPrivacy? Privacy { get; init; }

    /// <summary>The model the aggregating nation registers when the job succeeds; null to derive its name from the job id.</summary>
    [Id(8)] public FederatedOutput? Output { get; init; }
}
