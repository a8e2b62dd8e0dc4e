using Federation.Contracts.Ids;

namespace Federation.Contracts.Catalogue.Models;

/// <summary>
/// What an evaluating nation states about a model version it evaluated on one of its datasets: the
/// statement that nation signs with its federation key (see <c>ModelEvaluationSignature</c>).
/// </summary>
/// <param name="Id">The evaluation's id (unique per evaluating nation).</param>
/// <param name="Model">The model version evaluated.</param>
/// <param name="ModelSha256">The SHA-256 of the artifact bytes that were evaluated.</param>
/// <param name="Dataset">The benchmark dataset, by reference (its rows never leave its nation).</param>
/// <param name="Nation">The evaluating nation, the dataset's home, whose key signs.</param>
/// <param name="EvaluatedAt">When the evaluation finished (UTC); the roster's pins valid then verify it.</param>
/// <param name="Rows">How many rows were evaluated.</param>
/// <param name="Accuracy">Accuracy at threshold 0.5, in [0, 1].</param>
/// <param name="Auc">ROC AUC in [0, 1]; null when the data holds one class only.</param>
/// <param name="Loss">Mean log loss (cross-entropy), at least 0.</param>
/// <param name="Calibration">Expected calibration error over ten equal-width bins, in [0, 1].</param>
[GenerateSerializer, Immutable, Alias("fed.ModelEvaluationStatement")]
public sealed record ModelEvaluationStatement(
    [property: Id(0)] Guid Id,
    [property: Id(1)] ModelRef Model,
    [property: Id(2)] Sha256Digest ModelSha256,
    [property: Id(3)] DatasetRef Dataset,
    [property: Id(4)] NationCode Nation,
    [property: Id(5)] DateTimeOffset EvaluatedAt,
    [property: Id(6)] long Rows,
    [property: Id(7)] double Accuracy,
    [property: Id(8)] double? Auc,
    [property: Id(9)] double Loss,
    [property: Id(10)] double Calibration);
