using Federation.Contracts.Ids;

namespace Federation.Contracts.Learning;

/// <summary>Where a federated run stands at its aggregating nation.</summary>
/// <param name="Job">The job.</param>
/// <param name="Phase"><c>none</c> (no run here), <c>awaitingContributors</c>, <c>running</c>, <c>waiting</c>, <c>succeeded</c> or <c>stopped</c>.</param>
/// <param name="Round">The current (or last) round, from 1; 0 before the first.</param>
/// <param name="Attempt">The current attempt of the round.</param>
/// <param name="CompletedRounds">Rounds that completed.</param>
/// <param name="ValidationLoss">The latest completed round's validation loss, if any.</param>
/// <param name="ValidationAccuracy">The latest completed round's validation accuracy, if any.</param>
/// <param name="Reason">Why the run waits or stopped, or how it ended.</param>
/// <param name="Refusals">Refusals the run's grain has answered since it was activated (for diagnosis).</param>
[GenerateSerializer, Immutable, Alias("fed.learning.FederatedRunStatus")]
public sealed record FederatedRunStatus(
    [property: Id(0)] JobRef Job,
    [property: Id(1)] string Phase,
    [property: Id(2)] int Round,
    [property: Id(3)] int Attempt,
    [property: Id(4)] int CompletedRounds,
    [property: Id(5)] double? ValidationLoss,
    [property: Id(6)] double? ValidationAccuracy,
    [property: Id(7)] string? Reason,
    [property: Id(8)] int Refusals);
