using Federation.Contracts.Ids;
using Federation.Learning.Protocol;

namespace Federation.Learning.Run;

/// <summary>
/// From a contributor to the aggregator: the metrics its dataset's export policy lets out (validation
/// loss and accuracy of the local model, and the validation row count), read by the stopping rule; and what
/// its local step cost in its own nation (kWh with its PUE, gCO2e at its grid intensity), recorded per round.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.learning.RoundMetrics")]
public sealed record RoundMetrics(
    [property: Id(0)] RoundKey Session,
    [property: Id(1)] NationCode From,
    [property: Id(2)] double ValidationLoss,
    [property: Id(3)] double ValidationAccuracy,
    [property: Id(4)] long ValidationSamples)
{
    /// <summary>The most energy one local step may claim, kWh (a megawatt for ten hours): a larger claim is refused.</summary>
    public const double MaxStepKwh = 10_000;

    /// <summary>The highest grid intensity a claim may imply, gCO2e/kWh (the bound peers' adverts are held to).</summary>
    public const double MaxGco2PerKwh = 5000;

    /// <summary>The local step's energy, kWh.</summary>
    [Id(5)] public double EnergyKwh { get; init; }

    /// <summary>The local step's emissions, gCO2e.</summary>
    [Id(6)] public double EmissionsGco2e { get; init; }

    /// <summary>Why <paramref name="energyKwh"/> and <paramref name="emissionsGco2e"/> cannot be a step's cost (naming the field under <paramref name="prefix"/>), or null when they can.</summary>
    public static string? CostProblem(double energyKwh, double emissionsGco2e, string prefix) =>
        !double.IsFinite(energyKwh) || energyKwh is < 0 or > MaxStepKwh ? $"{prefix}energyKwh: must be a finite number, 0 to {MaxStepKwh}"
        : !double.IsFinite(emissionsGco2e) || emissionsGco2e < 0 || emissionsGco2e > energyKwh * MaxGco2PerKwh
            ? $"{prefix}emissionsGco2e: must be a finite number, 0 to energyKwh x {MaxGco2PerKwh} gCO2e/kWh"
        : null;
}
