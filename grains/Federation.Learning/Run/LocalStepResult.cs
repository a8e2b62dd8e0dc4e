using System.Collections.Immutable;
using Federation.Learning.Protocol;

namespace Federation.Learning.Run;

/// <summary>
/// A local training step's result, as the workload wrote it: the trained weights, the training sample count and the validation metrics;
/// and what the step cost in this nation (kWh with its PUE, gCO2e at its grid intensity; 0 when unknown).
/// </summary>
public sealed record LocalStepResult(
    RoundKey Session, ImmutableArray<double> Weights, long Samples, double ValidationLoss, double ValidationAccuracy, long ValidationSamples,
    double EnergyKwh = 0, double EmissionsGco2e = 0);
