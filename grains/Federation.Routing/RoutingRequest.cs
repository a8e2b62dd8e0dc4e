using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;

namespace Federation.Routing;

/// <summary>Everything one routing decision is computed from; the router reads nothing else.</summary>
public sealed record RoutingRequest
{
    /// <summary>The job's global id.</summary>
    public required JobRef Job { get; init; }

    /// <summary>The job as submitted.</summary>
    public required JobSpec Spec { get; init; }

    /// <summary>The time of the decision (deadlines, time-limited data use).</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>The job's input datasets, one per entry of <see cref="JobSpec.Inputs"/>.</summary>
    public ImmutableArray<InputDataset> Inputs { get; init; } = [];

    /// <summary>Every nation the job could run in.</summary>
    public ImmutableArray<CandidateNation> Candidates { get; init; } = [];
}
