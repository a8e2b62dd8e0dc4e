using Federation.Contracts.Jobs;

namespace Federation.Execution;

/// <summary>
/// One way of running an allow-listed workload (a strategy of <see cref="ExecutorRegistry"/>): the
/// simulated run, a detached process per job, or a Slurm batch job. A run outside the grain outlives
/// the silo that started it and is found again by its handle and job directory.
/// </summary>
public interface IRunExecutor
{
    /// <summary>Which executor this is.</summary>
    ExecutorKind Kind { get; }

    /// <summary>
    /// True when the run lives outside the grain (a process, a Slurm job): it is followed by polling
    /// and must be stopped when its epoch ends; false for a run that exists only as a model of time.
    /// </summary>
    bool Detached { get; }

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

    /// <summary>
    /// Signals the run's workload to checkpoint (SIGUSR1) and leaves it running: a reclaim stops it after
    /// its checkpoint grace. A run that already ended is left alone; an executor with no workload process
    /// to signal (the simulated one) does nothing, which is the default.
    /// </summary>
    Task SignalCheckpointAsync(RunRequest request, string? handle, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Hours of real run time that <paramref name="elapsed"/> wall-clock time of <paramref name="request"/> stands for (energy is billed on them).</summary>
    double RunHours(RunRequest request, TimeSpan elapsed);

    /// <summary>
    /// The result of <paramref name="request"/>'s run that ended, from <paramref name="billed"/> (what this nation billed):
    /// an executor that knows more (the federated one: the model it registered, the contributors' energy) adds it; the others return the bill.
    /// </summary>
    Task<JobResult> CompleteAsync(RunRequest request, JobResult billed, CancellationToken cancellationToken) => Task.FromResult(billed);
}
