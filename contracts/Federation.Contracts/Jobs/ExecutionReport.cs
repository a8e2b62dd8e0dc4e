using Federation.Contracts.Ids;

namespace Federation.Contracts.Jobs;

/// <summary>The executing nation tells the origin what happened (<c>POST /federation/v1/jobs/reports</c>).</summary>
[GenerateSerializer, Immutable, Alias("fed.ExecutionReport")]
public sealed record ExecutionReport
{
    /// <summary>The job.</summary>
    [Id(0)] public required JobRef Job { get; init; }

    /// <summary>The epoch the report belongs to; reports of older epochs are refused.</summary>
    [Id(1)] public required int Epoch { get; init; }

    /// <summary>1, 2, 3, ... per execution; a repeated number is acknowledged and ignored.</summary>
    [Id(2)] public required long Sequence { get; init; }

    /// <summary>The state of the run: Queued, Running, or a finished state.</summary>
    [Id(3)] public required JobState State { get; init; }

    /// <summary>What happened, for people.</summary>
    [Id(4)] public string Message { get; init; } = "";

    /// <summary>Share of the work done, 0..1.</summary>
    [Id(5)] public double? Progress { get; init; }

    /// <summary>For a finished state: the result.</summary>
    [Id(6)] public JobResult? Result { get; init; }
}
