namespace Federation.Routing.Energy;

/// <summary>
/// The one energy formula of the federation: the router's estimate and the execution's bill both
/// come from here, so that they agree whenever the estimated run time is the actual one.
/// </summary>
/// <remarks>
/// <code>
/// computeKwh  = runHours x watts / 1000 x PUE        (watts: TDP x count, or measured)
/// transferKwh = bytes / 1e9 x transferKwhPerGb         (the reference tables' network figure)
/// gCO2e       = (computeKwh + transferKwh) x gridIntensity
/// </code>
/// </remarks>
public static class EnergyModel
{
    private const double BytesPerGb = 1e9;

    /// <summary>The energy and emissions of a run of <paramref name="runHours"/> at <paramref name="power"/>.</summary>
    /// <param name="power">The accelerators' power before PUE.</param>
    /// <param name="runHours">Hours the run lasts; 0 or more.</param>
    /// <param name="pue">The data centre's PUE; more than 0.</param>
    /// <param name="transferBytes">Bytes of inputs moved to the run; 0 or more.</param>
    /// <param name="transferKwhPerGb">Network energy per GB moved, kWh; 0 or more.</param>
    /// <param name="gridIntensityGco2PerKwh">Grid carbon intensity where the energy is used; 0 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException">A figure is negative, not finite, or the PUE is not more than 0; the message names it.</exception>
    public static EnergyUse Of(PowerFigure power, double runHours, double pue, long transferBytes, double transferKwhPerGb, double gridIntensityGco2PerKwh)
    {
        NotNegative(power.Watts, "power.Watts");
        NotNegative(runHours, nameof(runHours));
        if (!double.IsFinite(pue) || pue <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pue), pue, "the PUE must be a finite number more than 0");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(transferBytes);
        NotNegative(gridIntensityGco2PerKwh, nameof(gridIntensityGco2PerKwh));
        return new EnergyUse
        {
            RunHours = runHours,
            Power = power,
            Pue = pue,
            ComputeKwh = runHours * power.Watts / 1000 * pue,
            TransferBytes = transferBytes,
            TransferKwh = TransferKwh(transferBytes, transferKwhPerGb),
            GridIntensityGco2PerKwh = gridIntensityGco2PerKwh,
        };
    }

    /// <summary>Energy of moving <paramref name="bytes"/> over the network, kWh.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A figure is negative or not finite.</exception>
    public static double TransferKwh(long bytes, double kwhPerGb)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        NotNegative(kwhPerGb, nameof(kwhPerGb));
        return bytes / BytesPerGb * kwhPerGb;
    }

    private static void NotNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number, 0 or more");
        }
    }
}
