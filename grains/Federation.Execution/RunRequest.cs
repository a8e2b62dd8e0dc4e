using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution.Staging;
using Federation.Execution.Workloads;

namespace Federation.Execution;

/// <summary>What an executor needs to start, follow or stop one epoch of a job.</summary>
/// <param name="Job">The job.</param>
/// <param name="Epoch">The epoch.</param>
/// <param name="Spec">The job as offered.</param>
/// <param name="Workload">The allow-list entry it runs.</param>
/// <param name="Directory">Its job directory.</param>
/// <param name="Pool">The node pool it runs in.</param>
/// <param name="Accelerator">The accelerator model.</param>
/// <param name="Inputs">The inputs in place (local paths).</param>
public sealed record RunRequest(
    JobRef Job,
    int Epoch,
    JobSpec Spec,
    WorkloadDefinition Workload,
    JobDirectory Directory,
    NodePool Pool,
    AcceleratorSlug Accelerator,
    ImmutableArray<StagedInput> Inputs)
{
    /// <summary>When the run started, once it did (the simulated executor measures its progress from it).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>
    /// How far down its pool's own queue the run goes among the federation's runs (Slurm's <c>--nice</c>, from the
    /// fair-share rank: <c>WaitingOrder.SlurmNice</c>); 0 for the best placed, never negative.
    /// </summary>
    public int Nice { get; init; }

    /// <summary>The walltime limit in whole seconds.</summary>
    public int WalltimeSeconds => (int)Math.Ceiling(Spec.Walltime.TotalHours * 3600);
}
