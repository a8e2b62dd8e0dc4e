using Federation.Contracts.Jobs;

namespace Federation.Grains.Jobs;

/// <summary>Filters of the job list (the <c>squeue</c> habit).</summary>
public sealed record JobQuery
{
    /// <summary>Only jobs in this state.</summary>
    public JobState? State { get; init; }

    /// <summary>Only jobs of this user.</summary>
    public string? Owner { get; init; }

    /// <summary>Only jobs offered to or running in this nation.</summary>
    public string? Nation { get; init; }

    /// <summary>Keyset cursor: the global id of the last job of the previous page.</summary>
    public string? After { get; init; }

    /// <summary>Page size.</summary>
    public int Limit { get; init; } = 50;
}
