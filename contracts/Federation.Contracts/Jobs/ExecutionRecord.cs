using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Jobs;

/// <summary>One epoch of a job as the executing nation holds it.</summary>
[GenerateSerializer, Immutable, Alias("fed.ExecutionRecord")]
public sealed record ExecutionRecord
{
    /// <summary>The job.</summary>
    [Id(0)] public required JobRef Job { get; init; }

    /// <summary>The epoch.</summary>
    [Id(1)] public required int Epoch { get; init; }

    /// <summary>The job as offered.</summary>
    [Id(2)] public required JobSpec Spec { get; init; }

    /// <summary>This nation's admission answer.</summary>
    [Id(3)] public required Admission Admission { get; init; }

    /// <summary>Admitted, Queued, Running, or finished.</summary>
    [Id(4)] public required JobState State { get; init; }

    /// <summary>Why.</summary>
    [Id(5)] public string StateReason { get; init; } = "";

    /// <summary>The accelerator model the run holds.</summary>
    [Id(6)] public AcceleratorSlug? Accelerator { get; init; }

    /// <summary>Accelerators held, per node.</summary>
    [Id(7)] public ImmutableSortedDictionary<string, int> Allocations { get; init; } = ImmutableSortedDictionary<string, int>.Empty;

    /// <summary>When the run started.</summary>
    [Id(8)] public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it finished.</summary>
    [Id(9)] public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The lease the origin grants, seconds.</summary>
    [Id(10)] public double LeaseSeconds { get; init; }

    /// <summary>When the origin last renewed the lease (wall clock, for restarts; in memory the monotonic clock rules).</summary>
    [Id(11)] public DateTimeOffset LeaseRenewedAt { get; init; }

    /// <summary>Share of the work done, 0..1.</summary>
    [Id(12)] public double Progress { get; init; }

    /// <summary>For a finished run: the result.</summary>
    [Id(13)] public JobResult? Result { get; init; }

    /// <summary>True once the origin said this epoch is stale: nothing it does counts any more.</summary>
    [Id(14)] public bool Fenced { get; init; }

    /// <summary>Rises with every change.</summary>
    [Id(15)] public int Version { get; init; }

    /// <summary>The run outside the grain (executor, pool, handle, job directory), once started.</summary>
    [Id(16)] public ExecutionRun? Run { get; init; }

    /// <summary>Set once a reclaim signalled the run to checkpoint: when, and when the epoch is given back at the latest.</summary>
    [Id(17)] public CheckpointRequest? Checkpoint { get; init; }
}
