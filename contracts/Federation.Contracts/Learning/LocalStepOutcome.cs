using System.Collections.Immutable;

namespace Federation.Contracts.Learning;

/// <summary>
/// How a data nation's local training step ended, as its edge read the workload's outputs: the session
/// (round × 100 + attempt) it was for, the trained weights, the training sample count and the validation
/// metrics; or the error that stopped it (then the nation drops out of the round). The step's measured
/// CPU and wall seconds (the workload's <c>metrics.json</c> <c>training</c> block) and its estimated energy
/// (kWh, this nation's CPU power figure and PUE through the federation's energy model) are 0 when unknown.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.learning.LocalStepOutcome")]
public sealed record LocalStepOutcome(
    [property: Id(0)] int Session,
    [property: Id(1)] ImmutableArray<double> Weights,
    [property: Id(2)] long Samples,
    [property: Id(3)] double ValidationLoss,
    [property: Id(4)] double ValidationAccuracy,
    [property: Id(5)] long ValidationSamples,
    [property: Id(6)] string? Error,
    [property: Id(7)] double CpuSeconds = 0,
    [property: Id(8)] double WallSeconds = 0,
    [property: Id(9)] double EnergyKwh = 0);
