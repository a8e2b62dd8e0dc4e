namespace Federation.Execution.Slurm;

/// <summary>A Slurm job's state, folded from Slurm's own (<c>JobState</c>, squeue's <c>%T</c>).</summary>
public enum SlurmJobState
{
    /// <summary>Waiting to start (<c>PENDING</c>, also <c>CONFIGURING</c>: allocated, nodes not ready yet).</summary>
    Pending,

    /// <summary>Running (<c>RUNNING</c>).</summary>
    Running,

    /// <summary>Ended, its processes still being cleaned up (<c>COMPLETING</c>); the final state follows.</summary>
    Completing,

    /// <summary>Ended with exit code 0 (<c>COMPLETED</c>).</summary>
    Completed,

    /// <summary>Ended with a non-zero exit code or killed by a signal (<c>FAILED</c>).</summary>
    Failed,

    /// <summary>Cancelled (<c>CANCELLED</c>, also <c>REVOKED</c>).</summary>
    Cancelled,

    /// <summary>Reached its walltime or deadline (<c>TIMEOUT</c>, <c>DEADLINE</c>).</summary>
    Timeout,

    /// <summary>A node it ran on failed (<c>NODE_FAIL</c>, <c>BOOT_FAIL</c>).</summary>
    NodeFail,

    /// <summary>Ran out of memory (<c>OUT_OF_MEMORY</c>).</summary>
    OutOfMemory,

    /// <summary>Preempted by another job (<c>PREEMPTED</c>).</summary>
    Preempted,

    /// <summary>Any other state (suspended, requeued, held, ...): not finished.</summary>
    Other,
}
