namespace Federation.Contracts.Shares;

/// <summary>A run admitted here on borrowed accelerators (reclaimable), in the shares table.</summary>
[GenerateSerializer, Immutable, Alias("fed.BorrowedRunLine")]
public sealed record BorrowedRunLine
{
    /// <summary>The job (<c>{origin}/{id}</c>).</summary>
    [Id(0)] public required string Job { get; init; }

    /// <summary>Its epoch.</summary>
    [Id(1)] public int Epoch { get; init; }

    /// <summary>The consortium it runs for; null when none.</summary>
    [Id(2)] public string? Consortium { get; init; }

    /// <summary>Accelerators it holds.</summary>
    [Id(3)] public int Accelerators { get; init; }

    /// <summary>When it was admitted.</summary>
    [Id(4)] public DateTimeOffset StartedAt { get; init; }

    /// <summary>When its walltime runs out.</summary>
    [Id(5)] public DateTimeOffset EndsBy { get; init; }

    /// <summary>When a reclaim under way has its accelerators back at the latest (it drains by then); null when it is not being reclaimed.</summary>
    [Id(6)] public DateTimeOffset? ReturnBy { get; init; }
}
