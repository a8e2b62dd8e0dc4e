namespace Federation.Learning.Aggregation;

/// <summary>
/// How a federated job aggregates: FedAvg or FedProx (with its proximal mu for the workload), the cap on
/// a nation's sample weight, and optional differential privacy. Under differential privacy every nation
/// weighs the same (weighting by sample count would raise the sensitivity of the sum).
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.learning.AggregationRule")]
public sealed record AggregationRule
{
    /// <summary>Creates a rule, or throws naming the field.</summary>
    public AggregationRule(AggregationAlgorithm algorithm, double proximalMu, long maxSampleWeight, DifferentialPrivacySettings? privacy)
    {
        if (!Enum.IsDefined(algorithm))
        {
            throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "AggregationRule.Algorithm must be FedAvg or FedProx.");
        }

        if (algorithm == AggregationAlgorithm.FedProx ? !(double.IsFinite(proximalMu) && proximalMu > 0) : proximalMu != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(proximalMu), proximalMu,
                "AggregationRule.ProximalMu must be a finite number above 0 for FedProx, and 0 for FedAvg.");
        }

        if (maxSampleWeight < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxSampleWeight), maxSampleWeight, "AggregationRule.MaxSampleWeight must be at least 1.");
        }

        Algorithm = algorithm;
        ProximalMu = proximalMu;
        MaxSampleWeight = maxSampleWeight;
        Privacy = privacy;
    }

    /// <summary>FedAvg or FedProx.</summary>
    [Id(0)]
    public AggregationAlgorithm Algorithm { get; }

    /// <summary>FedProx's mu, passed to the workload's local training; 0 for FedAvg.</summary>
    [Id(1)]
    public double ProximalMu { get; }

    /// <summary>Sample counts above this weigh as this; a nation's weight is min(samples, cap)/cap, in (0, 1].</summary>
    [Id(2)]
    public long MaxSampleWeight { get; }

    /// <summary>Differential privacy, or null for none.</summary>
    [Id(3)]
    public DifferentialPrivacySettings? Privacy { get; }

    /// <summary>FedAvg without differential privacy.</summary>
    public static AggregationRule FedAvg(long maxSampleWeight = 1_000_000) => new(AggregationAlgorithm.FedAvg, 0, maxSampleWeight, null);
}
