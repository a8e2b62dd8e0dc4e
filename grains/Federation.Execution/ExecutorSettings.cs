using System.Collections.Immutable;

namespace Federation.Execution;

/// <summary>How this nation runs admitted jobs (section <c>Federation:Executor</c> and <c>Federation:Pools</c>).</summary>
public sealed record ExecutorSettings
{
    /// <summary>Wall-clock seconds a simulated run takes per hour of estimated run time (time scale).</summary>
    public double SecondsPerEstimatedHour { get; init; } = 60;

    /// <summary>How often a running job reports progress, at most.</summary>
    public TimeSpan ProgressEvery { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a run outside the grain (process, Slurm) is looked at.</summary>
    public TimeSpan PollEvery { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a run waiting for accelerators waits before it looks again when nothing woke it: the capacity
    /// ledger wakes the runs first in line when accelerators are freed, so this only bounds a missed wake-up.
    /// </summary>
    public TimeSpan QueuedRecheck { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where job directories are made: <c>&lt;root&gt;/&lt;origin&gt;/&lt;id&gt;/e&lt;epoch&gt;</c>.</summary>
    public string WorkRoot { get; init; } = Path.Combine(Path.GetTempPath(), "federation-jobs");

    /// <summary>The unprivileged account workloads run as; null runs them as the silo's own account.</summary>
    public UnixAccount? RunAs { get; init; }

    /// <summary>The node pools, in the order they are tried.</summary>
    public ImmutableArray<NodePool> Pools { get; init; } = [NodePool.DefaultAgent];

    /// <summary>
    /// True: the capacity ledger is stored packed (one byte string for its nodes and entries). False: in the form
    /// builds before packing read, for a rolling restart from such a build or a rollback to one.
    /// </summary>
    public bool PackLedger { get; init; } = true;

    /// <summary>
    /// How often the capacity ledger asks the holders of entries held this long or longer whether they are over, and
    /// releases what the ones that are over still hold (a release that was lost).
    /// </summary>
    public TimeSpan LedgerAudit { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a Slurm command may take.</summary>
    public TimeSpan SlurmCommandTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
