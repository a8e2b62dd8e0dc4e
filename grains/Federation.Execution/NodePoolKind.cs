namespace Federation.Execution;

/// <summary>Who allocates a node pool's accelerators.</summary>
public enum NodePoolKind
{
    /// <summary>GPU node grains, fed by node agents' heartbeats; runs use the process (or simulated) executor.</summary>
    Agent = 0,

    /// <summary>A Slurm cluster: capacity read from Slurm's GRES, Slurm allocates; runs use the Slurm executor.</summary>
    Slurm = 1,
}
