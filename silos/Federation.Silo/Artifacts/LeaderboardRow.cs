using Federation.Contracts.Ids;

namespace Federation.Silo.Artifacts;

/// <summary>One model version's verified result on a benchmark dataset.</summary>
/// <param name="Rank">1 for the best (highest AUC, then accuracy, then lowest loss).</param>
/// <param name="Model">The model version.</param>
/// <param name="ModelSha256">The bytes evaluated.</param>
/// <param name="Nation">The evaluating nation (the dataset's home), which signed it.</param>
/// <param name="EvaluatedAt">When.</param>
/// <param name="Rows">Rows evaluated.</param>
/// <param name="Accuracy">Accuracy.</param>
/// <param name="Auc">ROC AUC, when defined.</param>
/// <param name="Loss">Log loss.</param>
/// <param name="Calibration">Expected calibration error.</param>
/// <param name="Evaluation">The evaluation's id.</param>
public sealed record LeaderboardRow(int Rank, ModelRef Model, Sha256Digest ModelSha256, NationCode Nation, DateTimeOffset EvaluatedAt, long Rows, double Accuracy, double? Auc, double Loss, double Calibration, Guid Evaluation);
