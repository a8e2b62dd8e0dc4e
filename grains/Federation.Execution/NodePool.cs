using System.Collections.Immutable;

namespace Federation.Execution;

/// <summary>A set of this nation's accelerators with one allocator (section <c>Federation:Pools</c>).</summary>
public sealed record NodePool
{
    /// <summary>The agent-managed pool used when none is configured: every GPU node grain.</summary>
    public static NodePool DefaultAgent { get; } = new() { Name = "agents", Kind = NodePoolKind.Agent };

    /// <summary>The pool's name.</summary>
    public required string Name { get; init; }

    /// <summary>Who allocates.</summary>
    public NodePoolKind Kind { get; init; }

    /// <summary>For a Slurm pool: the cluster's slurm.conf (set as <c>SLURM_CONF</c> for its commands).</summary>
    public string? SlurmConf { get; init; }

    /// <summary>For a Slurm pool: the partition jobs go to (Slurm's default when null).</summary>
    public string? Partition { get; init; }

    /// <summary>For a Slurm pool: accelerator slug → GRES type of <c>gpu</c> (e.g. <c>h100-sxm-80gb</c> → <c>h100</c>).</summary>
    public ImmutableSortedDictionary<string, string> Gres { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>The Slurm job name of an epoch: <c>&lt;origin&gt;-&lt;id&gt;-e&lt;epoch&gt;</c>.</summary>
    public static string SlurmJobName(Federation.Contracts.Ids.JobRef job, int epoch) => $"{job.Origin.Value}-{job.Id}-e{epoch}";
}
