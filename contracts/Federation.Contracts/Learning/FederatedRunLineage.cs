using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Learning;

/// <summary>
/// What a federated run's records say about the model it made, for its registration: the completed rounds,
/// every contributor's local step per round with the energy and emissions it reported (a discarded attempt's
/// steps too: their energy was spent), the final validation metrics and the privacy budget spent when
/// differential privacy was on.
/// </summary>
/// <param name="Job">The job.</param>
/// <param name="CompletedRounds">Rounds that completed.</param>
/// <param name="Steps">Each contributor's step per round, in round order, with its kWh and gCO2e.</param>
/// <param name="ValidationAccuracy">The last completed round's validation accuracy, when any.</param>
/// <param name="ValidationLoss">The last completed round's validation loss, when any.</param>
/// <param name="DpEpsilon">The (ε, δ)-DP budget's ε after the noisy rounds; null when differential privacy was off.</param>
/// <param name="DpDelta">The budget's δ; null when differential privacy was off.</param>
[GenerateSerializer, Immutable, Alias("fed.learning.FederatedRunLineage")]
public sealed record FederatedRunLineage(
    [property: Id(0)] JobRef Job,
    [property: Id(1)] int CompletedRounds,
    [property: Id(2)] ImmutableArray<LineageStep> Steps,
    [property: Id(3)] double? ValidationAccuracy,
    [property: Id(4)] double? ValidationLoss,
    [property: Id(5)] double? DpEpsilon,
    [property: Id(6)] double? DpDelta);
