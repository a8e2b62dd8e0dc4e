using Federation.Contracts.Grains;
using Federation.Reference;

namespace Federation.Grains.Learning;

/// <summary>
/// The emissions of a local step in this nation, as the execution's bill counts them (<c>EnergyModel</c>:
/// gCO2e = kWh × grid intensity, the kWh already with the PUE): the intensity is the reference table's
/// figure for this nation's grid zone (0 when the nation has no profile or the zone is unknown).
/// </summary>
public static class StepCarbon
{
    /// <summary>This nation's grid intensity, gCO2e/kWh.</summary>
    public static async Task<double> IntensityAsync(IGrainFactory grains, ReferenceTables reference)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(reference);
        var profile = await grains.GetGrain<INationGrain>(INationGrain.Key).GetAsync();
        return profile is null ? 0 : reference.FindGridZone(profile.GridZone)?.Gco2PerKwh ?? 0;
    }

    /// <summary>The emissions of <paramref name="energyKwh"/> at <paramref name="intensity"/>; 0 for a figure that is not a finite number of 0 or more.</summary>
    public static double Gco2e(double energyKwh, double intensity) =>
        double.IsFinite(energyKwh) && energyKwh >= 0 && double.IsFinite(intensity) && intensity >= 0 ? energyKwh * intensity : 0;
}
