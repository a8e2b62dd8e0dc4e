namespace Federation.Contracts.Jobs;

/// <summary>
/// A reclaim asked a running epoch to checkpoint (docs/fair-share.md): its workload was signalled
/// (SIGUSR1), and the epoch is given back (stopped, requeued) when its run ends or at the deadline,
/// whichever comes first.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.CheckpointRequest")]
public sealed record CheckpointRequest
{
    /// <summary>Why (the reclaim's reason, sent to the origin with the give-back).</summary>
    [Id(0)] public required string Reason { get; init; }

    /// <summary>When the run was signalled to checkpoint.</summary>
    [Id(1)] public required DateTimeOffset AskedAt { get; init; }

    /// <summary>When the epoch is given back if its run has not ended by then.</summary>
    [Id(2)] public required DateTimeOffset GiveBackBy { get; init; }
}
