namespace Federation.Execution.Slurm;

/// <summary>What <see cref="SlurmCli.SubmitAsync"/> hands to <c>sbatch</c>.</summary>
/// <param name="JobName">The Slurm job name (<c>--job-name</c>); how a job is found again after a restart.</param>
/// <param name="ScriptPath">The batch script, read by <c>sbatch</c> at submission.</param>
/// <param name="WorkingDirectory">The job's working directory (<c>--chdir</c>); the job's user must be able to enter it.</param>
/// <param name="StdoutPath">File the job's standard output goes to (<c>--output</c>); Slurm replaces <c>%</c> patterns in it.</param>
/// <param name="StderrPath">File the job's standard error goes to (<c>--error</c>).</param>
/// <param name="Partition">The partition, or <see langword="null"/> for the cluster's default one.</param>
/// <param name="Gres">Generic resources per node, such as <c>gpu:h100:2</c>; <see langword="null"/> for none.</param>
/// <param name="TimeMinutes">The walltime in minutes (<c>--time</c>), at least 1.</param>
/// <param name="RunAsUser">Account the job runs as (<c>--uid</c>, with that account's primary group as <c>--gid</c>;
/// needs a privileged caller); <see langword="null"/> for the caller's own.</param>
/// <param name="Nice">Lowers the job's priority in Slurm's queue by this much (<c>--nice</c>); 0 leaves it as Slurm sets it.</param>
public sealed record SlurmSubmission(
    string JobName,
    string ScriptPath,
    string WorkingDirectory,
    string StdoutPath,
    string StderrPath,
    string? Partition,
    string? Gres,
    int TimeMinutes,
    string? RunAsUser,
    int Nice = 0);
