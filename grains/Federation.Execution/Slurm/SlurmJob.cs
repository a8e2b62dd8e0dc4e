namespace Federation.Execution.Slurm;

/// <summary>What Slurm says about one job.</summary>
/// <param name="Id">The job id (digits; <c>123_4</c> for an array task).</param>
/// <param name="Name">The job name.</param>
/// <param name="State">The job's state.</param>
/// <param name="Reason">Slurm's reason: why it waits (<c>Resources</c>, <c>Priority</c>, ...) or how it ended
/// (<c>NonZeroExitCode</c>, ...); <c>None</c> when there is none.</param>
/// <param name="ExitCode">The script's exit code once the job has finished (0 when killed by a signal); <see langword="null"/> before.</param>
/// <param name="Signal">The signal that ended the job (15 for a cancelled one, 9 for a killed one), once finished; <see langword="null"/> when none.</param>
public sealed record SlurmJob(string Id, string Name, SlurmJobState State, string Reason, int? ExitCode, int? Signal);
