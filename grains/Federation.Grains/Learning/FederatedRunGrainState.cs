using Federation.Contracts.Learning;
using Federation.Learning.Run;

namespace Federation.Grains.Learning;

/// <summary>
/// What a coordinator persists: the plan, where the run is (round, attempt, phase, reason), the global
/// weights, the round records and the outbox. Never a key: a re-activated coordinator resumes its round
/// with a fresh attempt.
/// </summary>
[GenerateSerializer, Alias("fed.learning.FederatedRunGrainState")]
public sealed class FederatedRunGrainState
{
    /// <summary>The run's plan; null when no run is held here.</summary>
    [Id(0)] public FederatedRunPlan? Plan { get; set; }

    /// <summary>The current round (0 before the first).</summary>
    [Id(1)] public int Round { get; set; }

    /// <summary>The current attempt.</summary>
    [Id(2)] public int Attempt { get; set; }

    /// <summary>The global model.</summary>
    [Id(3)] public List<double> GlobalWeights { get; set; } = [];

    /// <summary>Every round attempt's outcome.</summary>
    [Id(4)] public List<RoundRecord> History { get; set; } = [];

    /// <summary>The decider's phase, or <c>awaitingContributors</c> before round 1.</summary>
    [Id(5)] public string Phase { get; set; } = "none";

    /// <summary>Why the run waits or stopped, or how it ended.</summary>
    [Id(6)] public string? Reason { get; set; }

    /// <summary>Round messages not yet delivered.</summary>
    [Id(7)] public List<RoundOutboxEntry> Outbox { get; set; } = [];

    /// <summary>When the run was started here (the wait bound for contributors that have not joined counts from it).</summary>
    [Id(8)] public DateTimeOffset? StartedAt { get; set; }
}
