namespace Federation.Lifecycle.Executions;

/// <summary>Where a run is, as its executor saw it.</summary>
public enum ObservedPhase
{
    /// <summary>Waiting for resources (a Slurm queue, say).</summary>
    Pending = 0,

    /// <summary>Running.</summary>
    Running = 1,

    /// <summary>Ended with exit code 0.</summary>
    Succeeded = 2,

    /// <summary>Ended with another exit code.</summary>
    Failed = 3,

    /// <summary>Stopped at its walltime.</summary>
    TimedOut = 4,

    /// <summary>Stopped by someone else than this execution.</summary>
    Cancelled = 5,

    /// <summary>No longer found.</summary>
    Lost = 6,
}
