namespace Federation.Workloads.Training.Evaluation;

/// <summary>The metrics of a model on a labelled dataset (<c>metrics.json</c> of <c>evaluate</c>).</summary>
/// <param name="Rows">Rows evaluated.</param>
/// <param name="Positives">Rows whose outcome is 1.</param>
/// <param name="Accuracy">Share of rows whose prediction (probability ≥ 0.5) equals the outcome.</param>
/// <param name="Auc">Area under the ROC curve (the probability that a random positive scores above a random negative, ties counting half); null when a class is absent.</param>
/// <param name="LogLoss">Mean binary cross-entropy, probabilities clamped to [1e-7, 1 − 1e-7].</param>
/// <param name="Brier">Mean squared error of the probabilities.</param>
/// <param name="Ece">Expected calibration error over <see cref="BinaryMetrics.CalibrationBins"/> equal-width bins.</param>
public sealed record EvaluationReport(long Rows, long Positives, double Accuracy, double? Auc, double LogLoss, double Brier, double Ece);
