namespace Federation.Silo.Jobs;

/// <summary>How admitted jobs run (section <c>Federation:Executor</c>).</summary>
public sealed class ExecutorOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Executor";

    /// <summary>Wall-clock seconds a simulated run takes per estimated hour.</summary>
    public double SecondsPerEstimatedHour { get; set; } = 60;

    /// <summary>Seconds between progress reports of a running job, at least.</summary>
    public double ProgressSeconds { get; set; } = 2;

    /// <summary>Seconds between looks at a run outside the grain (process, Slurm).</summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>Where job directories are made; default <c>&lt;temp&gt;/federation-jobs/&lt;nation&gt;</c>.</summary>
    public string? WorkRoot { get; set; }

    /// <summary>The unprivileged account workloads run as (the silo must run as root to switch); unset: the silo's own account.</summary>
    public string? RunAs { get; set; }

    /// <summary>Seconds a Slurm command may take.</summary>
    public double SlurmCommandSeconds { get; set; } = 30;
}
