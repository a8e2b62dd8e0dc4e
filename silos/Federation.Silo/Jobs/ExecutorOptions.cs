using Federation.Execution;

namespace Federation.Silo.Jobs;

/// <summary>
/// How admitted jobs run (section <c>Federation:Executor</c>), checked by <see cref="ExecutorOptionsValidator"/>.
/// The defaults are <see cref="ExecutorSettings"/>'s, so they are written once.
/// </summary>
public sealed class ExecutorOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Executor";

    private static readonly ExecutorSettings s_defaults = new();

    /// <summary>Wall-clock seconds a simulated run takes per estimated hour (more than 0, at most 86400).</summary>
    public double SecondsPerEstimatedHour { get; set; } = s_defaults.SecondsPerEstimatedHour;

    /// <summary>Seconds between progress reports of a running job, at least (more than 0, at most 3600).</summary>
    public double ProgressSeconds { get; set; } = s_defaults.ProgressEvery.TotalSeconds;

    /// <summary>Seconds between looks at a run outside the grain (process, Slurm) (more than 0, at most 60).</summary>
    public double PollSeconds { get; set; } = s_defaults.PollEvery.TotalSeconds;

    /// <summary>
    /// Seconds a run waiting for accelerators waits before it looks again when the capacity ledger did not wake it
    /// (more than 0, under the waiting line's 10 s: a run silent for that long is passed over).
    /// </summary>
    public double QueuedRecheckSeconds { get; set; } = s_defaults.QueuedRecheck.TotalSeconds;

    /// <summary>Where job directories are made (an absolute path); default <c>&lt;temp&gt;/federation-jobs/&lt;nation&gt;</c>.</summary>
    public string? WorkRoot { get; set; }

    /// <summary>The unprivileged account workloads run as (the silo must run as root to switch); unset: the silo's own account.</summary>
    public string? RunAs { get; set; }

    /// <summary>
    /// False stores the capacity ledger in the form builds before packing read (a rolling restart from such a
    /// build, or before a rollback to one); true (the default) stores it packed.
    /// </summary>
    public bool PackLedger { get; set; } = s_defaults.PackLedger;

    /// <summary>
    /// Seconds between the capacity ledger's checks of its holders (entries held at least this long, 256 a round), and
    /// releases of what the ones that are over still hold (more than 0, at most 86400).
    /// </summary>
    public double LedgerAuditSeconds { get; set; } = s_defaults.LedgerAudit.TotalSeconds;

    /// <summary>Seconds a Slurm command may take (more than 0, at most 3600).</summary>
    public double SlurmCommandSeconds { get; set; } = s_defaults.SlurmCommandTimeout.TotalSeconds;
}
