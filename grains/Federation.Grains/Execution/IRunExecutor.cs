namespace Federation.Grains.Execution;

/// <summary>
/// Runs allow-listed workloads outside the grain, so that a run outlives the silo that started it:
/// the process executor (a detached runner per job) and the Slurm executor.
/// </summary>
public interface IRunExecutor
{
    /// <summary><c>process</c> or <c>slurm</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Starts the run, or adopts it when a run of this epoch already exists (a silo died between
    /// starting it and recording it): never two runs of one epoch. Returns the handle (pid or
    /// Slurm job id) and the status, or a failure (nothing ran) with the reason.
    /// </summary>
    Task<(string? Handle, RunStatus Status)> StartAsync(RunRequest request, CancellationToken cancellationToken);

    /// <summary>Where the run is now.</summary>
    Task<RunStatus> PollAsync(RunRequest request, string? handle, CancellationToken cancellationToken);

    /// <summary>Stops the run (cancel, fencing); a run that already ended is left alone.</summary>
    Task StopAsync(RunRequest request, string? handle, CancellationToken cancellationToken);
}
