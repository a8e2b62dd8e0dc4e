using Federation.Contracts.Ids;

namespace Federation.Contracts.Routing;

/// <summary>
/// The carbon-aware window chosen for a deferrable job: where and when it runs, the gCO2e of running
/// at once versus in that window, and what waiting avoids. Present on a decision only for a deferrable job.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.TimeShift")]
public sealed record TimeShift
{
    /// <summary>True when the job waits for a later window; false when it runs now.</summary>
    [Id(0)] public required bool Deferred { get; init; }

    /// <summary>When the job starts (the decision time when it runs now).</summary>
    [Id(1)] public required DateTimeOffset StartAt { get; init; }

    /// <summary>When it is expected to finish, from its estimated run time.</summary>
    [Id(2)] public required DateTimeOffset FinishBy { get; init; }

    /// <summary>The nation of the chosen window.</summary>
    [Id(3)] public required NationCode Nation { get; init; }

    /// <summary>The best nation to run in at once.</summary>
    [Id(4)] public required NationCode NowNation { get; init; }

    /// <summary>Estimated gCO2e of running at once in <see cref="NowNation"/>.</summary>
    [Id(5)] public required double NowGco2e { get; init; }

    /// <summary>Estimated gCO2e of running in the chosen window.</summary>
    [Id(6)] public required double WindowGco2e { get; init; }

    /// <summary><see cref="NowGco2e"/> minus <see cref="WindowGco2e"/>; 0 when the job runs now.</summary>
    [Id(7)] public required double AvoidedGco2e { get; init; }

    /// <summary>Start hours (times nations) compared.</summary>
    [Id(8)] public required int WindowsCompared { get; init; }

    /// <summary>One sentence: the window and why, or why the job runs now.</summary>
    [Id(9)] public required string Reason { get; init; }
}
