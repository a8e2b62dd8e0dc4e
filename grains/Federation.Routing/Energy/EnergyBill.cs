using Federation.Contracts.Jobs;

namespace Federation.Routing.Energy;

/// <summary>The result an execution reports for a finished run, its energy and emissions taken from <see cref="EnergyModel"/>.</summary>
public static class EnergyBill
{
    private const double SecondsPerHour = 3600;

    /// <summary>The result of a run that used <paramref name="energy"/>.</summary>
    /// <param name="energy">The run's energy, from <see cref="EnergyModel.Of"/>.</param>
    /// <param name="exitCode">The workload's exit code, when it ran to the end.</param>
    /// <param name="message">Why it ended, for people.</param>
    /// <param name="executor">The executor that ran it.</param>
    public static JobResult Result(EnergyUse energy, int? exitCode, string message, string? executor) => new()
    {
        ExitCode = exitCode,
        Message = message,
        RunSeconds = energy.RunHours * SecondsPerHour,
        PowerWatts = energy.Power.Watts,
        EnergyKwh = energy.TotalKwh,
        TransferKwh = energy.TransferKwh,
        StagedBytes = energy.TransferBytes,
        EmissionsGco2e = energy.TotalGco2e,
        EnergyMethod = energy.Method,
        Executor = executor,
    };
}
