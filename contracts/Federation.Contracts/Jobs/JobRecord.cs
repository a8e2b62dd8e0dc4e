using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Routing;

namespace Federation.Contracts.Jobs;

/// <summary>A job as its origin nation holds it: the user-facing state.</summary>
[GenerateSerializer, Immutable, Alias("fed.JobRecord")]
public sealed record JobRecord
{
    /// <summary>The global id.</summary>
    [Id(0)] public required JobRef Ref { get; init; }

    /// <summary>The job as submitted.</summary>
    [Id(1)] public required JobSpec Spec { get; init; }

    /// <summary>Where it is in its life.</summary>
    [Id(2)] public required JobState State { get; init; }

    /// <summary>Why it is in that state ("why pending?").</summary>
    [Id(3)] public string StateReason { get; init; } = "";

    /// <summary>The current execution epoch (0 before the first offer).</summary>
    [Id(4)] public int Epoch { get; init; }

    /// <summary>The nation offered or running the current epoch.</summary>
    [Id(5)] public NationCode? Nation { get; init; }

    /// <summary>The last routing decision ("why there?").</summary>
    [Id(6)] public RoutingDecision? Decision { get; init; }

    /// <summary>Every answer to an offer, oldest first.</summary>
    [Id(7)] public ImmutableArray<Admission> Admissions { get; init; } = [];

    /// <summary>For a finished job: its result.</summary>
    [Id(8)] public JobResult? Result { get; init; }

    /// <summary>Share of the work done, 0..1, as last reported.</summary>
    [Id(9)] public double? Progress { get; init; }

    /// <summary>When it was submitted.</summary>
    [Id(10)] public required DateTimeOffset SubmittedAt { get; init; }

    /// <summary>When it last changed.</summary>
    [Id(11)] public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it finished.</summary>
    [Id(12)] public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Rises with every change.</summary>
    [Id(13)] public int Version { get; init; }

    /// <summary>Sequence number of its last event.</summary>
    [Id(14)] public long LastEvent { get; init; }
}
