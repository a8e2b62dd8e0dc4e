namespace Federation.Routing.Energy;

/// <summary>The energy and emissions of one run, estimated by the router or billed by the execution, from <see cref="EnergyModel"/>.</summary>
public readonly record struct EnergyUse
{
    /// <summary>Hours the run lasts (or lasted) on its accelerators.</summary>
    public required double RunHours { get; init; }

    /// <summary>The accelerators' power and where the figure comes from.</summary>
    public required PowerFigure Power { get; init; }

    /// <summary>Power usage effectiveness of the data centre the run is in.</summary>
    public required double Pue { get; init; }

    /// <summary>Compute energy, kWh: <see cref="RunHours"/> x watts / 1000 x <see cref="Pue"/>.</summary>
    public required double ComputeKwh { get; init; }

    /// <summary>Bytes of inputs moved to the run's nation.</summary>
    public required long TransferBytes { get; init; }

    /// <summary>Energy of moving <see cref="TransferBytes"/>, kWh.</summary>
    public required double TransferKwh { get; init; }

    /// <summary>Grid carbon intensity where the energy is used, gCO2e/kWh.</summary>
    public required double GridIntensityGco2PerKwh { get; init; }

    /// <summary>Compute plus transfer energy, kWh.</summary>
    public double TotalKwh => ComputeKwh + TransferKwh;

    /// <summary>Emissions of the compute energy, gCO2e.</summary>
    public double ComputeGco2e => ComputeKwh * GridIntensityGco2PerKwh;

    /// <summary>Emissions of the transfer energy, gCO2e.</summary>
    public double TransferGco2e => TransferKwh * GridIntensityGco2PerKwh;

    /// <summary>All emissions, gCO2e.</summary>
    public double TotalGco2e => TotalKwh * GridIntensityGco2PerKwh;

    /// <summary><c>measured</c> or <c>tdp-estimate</c>, after the power figure.</summary>
    public string Method => Power.Method;
}
