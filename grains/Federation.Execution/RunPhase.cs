namespace Federation.Execution;

/// <summary>Where a run outside the grain is.</summary>
public enum RunPhase
{
    /// <summary>Waiting for resources (e.g. pending in Slurm).</summary>
    Pending = 0,

    /// <summary>Running.</summary>
    Running = 1,

    /// <summary>Ended with exit code 0.</summary>
    Succeeded = 2,

    /// <summary>Ended with a non-zero exit code, or failed around the workload.</summary>
    Failed = 3,

    /// <summary>Stopped at the walltime limit.</summary>
    TimedOut = 4,

    /// <summary>Cancelled outside the federation (e.g. <c>scancel</c> by an operator).</summary>
    Cancelled = 5,

    /// <summary>Gone without a trace of how it ended.</summary>
    Lost = 6,
}
