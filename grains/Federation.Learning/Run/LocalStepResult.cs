using System.Collections.Immutable;
using Federation.Learning.Protocol;

namespace Federation.Learning.Run;

/// <summary>A local training step's result, as the workload wrote it: the trained weights, the training sample count and the validation metrics.</summary>
public sealed record LocalStepResult(
    RoundKey Session, ImmutableArray<double> Weights, long Samples, double ValidationLoss, double ValidationAccuracy, long ValidationSamples);
