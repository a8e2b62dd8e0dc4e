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

    /// <summary>Power drawn by the allocated accelerators during the run, watts (before PUE).</summary>
    [Id(6)] public double? PowerWatts { get; init; }

    /// <summary>Bytes of inputs copied to the executing nation for the run.</summary>
    [Id(7)] public long StagedBytes { get; init; }

    /// <summary>Energy of moving <see cref="StagedBytes"/>, kWh (included in <see cref="EnergyKwh"/>).</summary>
    [Id(8)] public double TransferKwh { get; init; }

    /// <summary>The executor that ran it: <c>simulated</c>, <c>process</c> or <c>slurm</c>.</summary>
    [Id(9)] public string? Executor { get; init; }

    /// <summary>The model the run registered in the executing nation's registry (a federated job's final model), when any.</summary>
    [Id(10)] public Ids.ModelRef? Model { get; init; }

    /// <summary>The registered model's final validation accuracy, 0 to 1, when known.</summary>
    [Id(11)] public double? ValidationAccuracy { get; init; }

    /// <summary>The registered model's final validation loss, 0 or more, when known.</summary>
    [Id(12)] public double? ValidationLoss { get; init; }
}
