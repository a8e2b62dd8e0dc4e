namespace Federation.Lifecycle.Executions;

/// <summary>The executor names an execution's run is recorded with.</summary>
public static class ExecutorKinds
{
    /// <summary>The simulated executor (no process).</summary>
    public const string Simulated = "simulated";

    /// <summary>A local process.</summary>
    public const string Process = "process";

    /// <summary>A Slurm batch job.</summary>
    public const string Slurm = "slurm";
}
