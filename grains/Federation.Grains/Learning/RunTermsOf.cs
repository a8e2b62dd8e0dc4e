using System.Security.Cryptography;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Learning;
using Federation.Learning.Aggregation;
using Federation.Learning.Quantisation;
using Federation.Learning.Run;
using SpecRule = Federation.Contracts.Jobs.AggregationRule;

namespace Federation.Grains.Learning;

/// <summary>The run's terms from a job's federated spec: one place that turns the spec's fields into the deciders' rules.</summary>
public static class RunTermsOf
{
    /// <summary>How updates are quantised before masking: clipped to ±4 per weight, 20 bits a level (room for 64 nations' sum in 2^32).</summary>
    public static QuantisationParameters Quantisation { get; } = new(4.0, 20);

    /// <summary>The wait bound when the spec's round policy gives none.</summary>
    public static readonly TimeSpan DefaultWaitBound = TimeSpan.FromMinutes(30);

    /// <summary>The δ of the differential-privacy accounting.</summary>
    public const double PrivacyDelta = 1e-5;

    /// <summary>The most samples a nation's update weighs as.</summary>
    public const long MaxSampleWeight = 1_000_000;

    /// <summary>The aggregation rule of <paramref name="spec"/>; throws naming the field.</summary>
    public static Federation.Learning.Aggregation.AggregationRule Rule(FederatedSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var privacy = spec.Privacy is { } dp ? new DifferentialPrivacySettings(dp.ClipNorm, dp.NoiseMultiplier, PrivacyDelta) : null;
        return spec.Aggregation.Rule == SpecRule.Fedprox
            ? new Federation.Learning.Aggregation.AggregationRule(AggregationAlgorithm.FedProx, spec.Aggregation.Mu ?? 0, MaxSampleWeight, privacy)
            : new Federation.Learning.Aggregation.AggregationRule(AggregationAlgorithm.FedAvg, 0, MaxSampleWeight, privacy);
    }

    /// <summary>How long the run waits for a missing nation under <paramref name="spec"/>'s round policy.</summary>
    public static TimeSpan WaitBound(FederatedSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.RoundPolicy.WaitBound > TimeSpan.Zero ? spec.RoundPolicy.WaitBound : DefaultWaitBound;
    }

    /// <summary>The terms of <paramref name="plan"/>'s run aggregated by <paramref name="aggregator"/>, with the contributors' federation keys.</summary>
    public static RunTerms Create(FederatedRunPlan plan, NationCode aggregator, IReadOnlyDictionary<NationCode, ECDsa> contributors)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var spec = plan.Terms;
        var wait = WaitBound(spec);
        return new RunTerms(plan.Job, aggregator, contributors, spec.Rounds,
            spec.Stopping.Rule == StoppingRule.ValidationLoss ? spec.Stopping.MinLossChange : null,
            spec.RoundPolicy.OnFailure, wait, plan.StageTimeout, plan.InitialWeights.Length, Rule(spec), Quantisation);
    }
}
