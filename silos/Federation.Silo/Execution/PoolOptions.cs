namespace Federation.Silo.Execution;

/// <summary>One entry of <c>Federation:Pools</c>: a node pool and who allocates it.</summary>
public sealed class PoolOptions
{
    /// <summary>The configuration section (a list).</summary>
    public const string Section = "Federation:Pools";

    /// <summary>The pool's name.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>agent</c> (GPU node grains, node agents) or <c>slurm</c>.</summary>
    public string Kind { get; set; } = "agent";

    /// <summary>For <c>slurm</c>: the cluster's slurm.conf.</summary>
    public string? SlurmConf { get; set; }

    /// <summary>For <c>slurm</c>: the partition (Slurm's default when unset).</summary>
    public string? Partition { get; set; }

    /// <summary>For <c>slurm</c>: accelerator slug → GRES type of <c>gpu</c>.</summary>
    public Dictionary<string, string> Gres { get; set; } = new(StringComparer.Ordinal);
}
