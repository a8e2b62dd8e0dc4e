namespace Federation.Reference;

/// <summary>Average grid carbon intensity of one zone, with its source.</summary>
/// <param name="Zone">Zone code (an ISO country code in the shipped table).</param>
/// <param name="Name">Human name.</param>
/// <param name="Gco2PerKwh">Lifecycle gCO2e per kWh.</param>
/// <param name="Year">Year the figure describes.</param>
/// <param name="Source">Where the figure comes from.</param>
public sealed record GridIntensity(string Zone, string Name, double Gco2PerKwh, int Year, string Source);
