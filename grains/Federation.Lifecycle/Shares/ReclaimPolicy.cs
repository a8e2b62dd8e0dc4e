namespace Federation.Lifecycle.Shares;

/// <summary>How a reclaimed borrowed run gives its accelerators back.</summary>
public enum ReclaimPolicy
{
    /// <summary>
    /// Signalled to checkpoint and requeued, gone within <see cref="ShareSettings.ReclaimGrace"/>; a run whose
    /// walltime ends within the grace drains instead. The owner waits at most the grace.
    /// </summary>
    CheckpointAndRequeue,

    /// <summary>
    /// Never interrupted: the chosen runs drain at the end of their walltime, the soonest-ending first. The
    /// owner waits at most until the latest walltime end of the runs chosen; no work is lost.
    /// </summary>
    DrainAtWalltime,
}
