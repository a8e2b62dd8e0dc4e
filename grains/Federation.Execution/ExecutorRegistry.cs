using System.Collections.Frozen;
using Federation.Contracts.Jobs;
using Federation.Execution.Workloads;

namespace Federation.Execution;

/// <summary>
/// The executors of this nation by kind: which one runs a workload in a pool, and which one follows
/// or stops a recorded run. One executor per kind.
/// </summary>
public sealed class ExecutorRegistry
{
    private readonly FrozenDictionary<ExecutorKind, IRunExecutor> _executors;

    /// <summary>A registry of <paramref name="executors"/>; throws when two share a kind.</summary>
    public ExecutorRegistry(IEnumerable<IRunExecutor> executors)
    {
        ArgumentNullException.ThrowIfNull(executors);
        var byKind = new Dictionary<ExecutorKind, IRunExecutor>();
        foreach (var executor in executors)
        {
            if (!byKind.TryAdd(executor.Kind, executor))
            {
                throw new ArgumentException($"two executors of kind {executor.Kind.ToText()} ({byKind[executor.Kind].GetType().Name}, {executor.GetType().Name}): one per kind", nameof(executors));
            }
        }

        _executors = byKind.ToFrozenDictionary();
    }

    /// <summary>The kinds registered.</summary>
    public IEnumerable<ExecutorKind> Kinds => _executors.Keys.Order();

    /// <summary>The executor of <paramref name="kind"/>; throws when none is registered.</summary>
    public IRunExecutor this[ExecutorKind kind] => _executors.TryGetValue(kind, out var executor)
        ? executor
        : throw new InvalidOperationException($"no {kind.ToText()} executor is registered (registered: {string.Join(", ", Kinds.Select(k => k.ToText()))})");

    /// <summary>
    /// The kind that runs <paramref name="workload"/> in <paramref name="pool"/>: a workload with no
    /// file is simulated, a Slurm pool runs Slurm jobs, an agent pool runs processes.
    /// </summary>
    public static ExecutorKind KindFor(WorkloadDefinition workload, NodePool pool)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(pool);
        return workload.IsSimulated ? ExecutorKind.Simulated
            : pool.Kind == NodePoolKind.Slurm ? ExecutorKind.Slurm
            : ExecutorKind.Process;
    }

    /// <summary>The executor that runs <paramref name="workload"/> in <paramref name="pool"/>.</summary>
    public IRunExecutor For(WorkloadDefinition workload, NodePool pool) => this[KindFor(workload, pool)];

    /// <summary>The executor that started <paramref name="run"/> (the simulated one for no run).</summary>
    public IRunExecutor For(ExecutionRun? run) => this[ExecutorKinds.KindOf(run)];
}
