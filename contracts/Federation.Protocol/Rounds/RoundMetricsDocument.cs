namespace Federation.Protocol.Rounds;

/// <summary>
/// A contributor's round metrics on the wire: the local model's log loss, accuracy (0 to 1) and validation rows;
/// and what its local step cost, measured in its nation: energy (kWh, with its PUE) and emissions (gCO2e, at its
/// grid intensity), 0 when left out.
/// </summary>
public sealed record RoundMetricsDocument(double ValidationLoss, double ValidationAccuracy, long ValidationSamples)
{
    /// <summary>The local step's energy, kWh (0 to 10000); 0 when left out.</summary>
    public double EnergyKwh { get; init; }

    /// <summary>The local step's emissions, gCO2e (at most its kWh times 5000 gCO2e/kWh); 0 when left out.</summary>
    public double EmissionsGco2e { get; init; }
}
