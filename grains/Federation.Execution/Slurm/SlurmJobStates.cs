namespace Federation.Execution.Slurm;

/// <summary>Helpers on <see cref="SlurmJobState"/>.</summary>
public static class SlurmJobStates
{
    /// <summary>Whether the job has ended for good: it will not run (again) on its own.</summary>
    public static bool IsFinished(this SlurmJobState state) => state is
        SlurmJobState.Completed or SlurmJobState.Failed or SlurmJobState.Cancelled or SlurmJobState.Timeout
        or SlurmJobState.NodeFail or SlurmJobState.OutOfMemory or SlurmJobState.Preempted;

    /// <summary>Maps Slurm's state name (<c>RUNNING</c>, <c>CANCELLED</c>, ...; flags after <c>+</c> ignored) to a <see cref="SlurmJobState"/>.</summary>
    public static SlurmJobState Parse(string slurmState)
    {
        var name = slurmState.Trim();
        var plus = name.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            name = name[..plus];
        }

        return name.ToUpperInvariant() switch
        {
            "PENDING" or "PD" or "CONFIGURING" or "CF" => SlurmJobState.Pending,
            "RUNNING" or "R" => SlurmJobState.Running,
            "COMPLETING" or "CG" => SlurmJobState.Completing,
            "COMPLETED" or "CD" => SlurmJobState.Completed,
            "FAILED" or "F" => SlurmJobState.Failed,
            "CANCELLED" or "CA" or "REVOKED" or "RV" => SlurmJobState.Cancelled,
            "TIMEOUT" or "TO" or "DEADLINE" or "DL" => SlurmJobState.Timeout,
            "NODE_FAIL" or "NF" or "BOOT_FAIL" or "BF" => SlurmJobState.NodeFail,
            "OUT_OF_MEMORY" or "OOM" => SlurmJobState.OutOfMemory,
            "PREEMPTED" or "PR" => SlurmJobState.Preempted,
            _ => SlurmJobState.Other,
        };
    }
}
