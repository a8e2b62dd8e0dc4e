using Federation.Contracts.Ids;

namespace Federation.Contracts.Routing;

/// <summary>
/// The score of a feasible candidate nation, component by component, on the accelerator model the
/// router picked there. The formula is written in the README ("How the router scores").
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.ScoreBreakdown")]
public sealed record ScoreBreakdown
{
    /// <summary>The accelerator model the job would run on.</summary>
    [Id(0)] public required AcceleratorSlug Accelerator { get; init; }

    /// <summary>Accelerator-hours on that model (the work estimate converted by throughput ratio).</summary>
    [Id(1)] public required double AcceleratorHours { get; init; }

    /// <summary>Expected run time on the requested count of that model, hours.</summary>
    [Id(2)] public required double RunHours { get; init; }

    /// <summary>Power per accelerator used in the estimate, W.</summary>
    [Id(3)] public required double PowerWatts { get; init; }

    /// <summary>The nation's power usage effectiveness.</summary>
    [Id(4)] public required double Pue { get; init; }

    /// <summary>Compute energy, kWh = accelerator-hours x power x PUE.</summary>
    [Id(5)] public required double ComputeKwh { get; init; }

    /// <summary>Bytes of input that would move to the nation.</summary>
    [Id(6)] public required long TransferBytes { get; init; }

    /// <summary>Network energy of those bytes, kWh.</summary>
    [Id(7)] public required double TransferKwh { get; init; }

    /// <summary>The nation's grid carbon intensity, gCO2e/kWh.</summary>
    [Id(8)] public required double GridIntensityGco2PerKwh { get; init; }

    /// <summary>Compute emissions, gCO2e.</summary>
    [Id(9)] public required double ComputeGco2e { get; init; }

    /// <summary>Transfer emissions, gCO2e.</summary>
    [Id(10)] public required double TransferGco2e { get; init; }

    /// <summary>Expected wait before the run starts, hours, from the advertised queue and free accelerators.</summary>
    [Id(11)] public required double ExpectedWaitHours { get; init; }

    /// <summary>The weighted total the ranking sorts by (lower is better).</summary>
    [Id(12)] public required double Total { get; init; }

    /// <summary>Total emissions, gCO2e.</summary>
    public double TotalGco2e => ComputeGco2e + TransferGco2e;

    /// <summary>Total energy, kWh.</summary>
    public double TotalKwh => ComputeKwh + TransferKwh;
}
