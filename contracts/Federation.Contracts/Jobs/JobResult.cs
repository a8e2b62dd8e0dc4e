namespace Federation.Contracts.Jobs;

/// <summary>What a finished run reports back to the origin: never outputs or logs, only these facts.</summary>
[GenerateSerializer, Immutable, Alias("fed.JobResult")]
public sealed record JobResult
{
    /// <summary>Exit code of the workload, when it ran.</summary>
    [Id(0)] public int? ExitCode { get; init; }

    /// <summary>Why it ended, for people.</summary>
    [Id(1)] public string Message { get; init; } = "";

    /// <summary>Run time, seconds.</summary>
    [Id(2)] public double RunSeconds { get; init; }

    /// <summary>Energy, kWh (accelerators x power x PUE).</summary>
    [Id(3)] public double? EnergyKwh { get; init; }

    /// <summary>Emissions, gCO2e.</summary>
    [Id(4)] public double? EmissionsGco2e { get; init; }

    /// <summary><c>measured</c> or <c>tdp-estimate</c>.</summary>
    [Id(5)] public string? EnergyMethod { get; init; }
}
