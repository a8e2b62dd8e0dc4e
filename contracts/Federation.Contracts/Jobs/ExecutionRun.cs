namespace Federation.Contracts.Jobs;

/// <summary>
/// Where a run of an execution lives outside the grain, so that a restarted silo finds it again:
/// the executor that started it, the node pool, the executor's own handle and the job directory.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.ExecutionRun")]
public sealed record ExecutionRun
{
    /// <summary><c>simulated</c>, <c>process</c> or <c>slurm</c>.</summary>
    [Id(0)] public required string Executor { get; init; }

    /// <summary>The node pool the run is in.</summary>
    [Id(1)] public required string Pool { get; init; }

    /// <summary>The executor's handle: the runner's pid, or the Slurm job id; null until known.</summary>
    [Id(2)] public string? Handle { get; init; }

    /// <summary>The job directory (inputs, outputs, logs), on the executing nation's machines; never sent to other nations.</summary>
    [Id(3)] public string? Directory { get; init; }

    /// <summary>Bytes of inputs copied here from other nations for this run.</summary>
    [Id(4)] public long StagedBytes { get; init; }
}
