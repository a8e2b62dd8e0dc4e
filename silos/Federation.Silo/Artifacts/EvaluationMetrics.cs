namespace Federation.Silo.Artifacts;

/// <summary>What an evaluation run measured (the <c>evaluation</c> block of the workload's <c>metrics.json</c>).</summary>
/// <param name="Rows">Rows evaluated.</param>
/// <param name="Accuracy">Accuracy at threshold 0.5.</param>
/// <param name="Auc">ROC AUC; null when one class is absent.</param>
/// <param name="Loss">Mean log loss.</param>
/// <param name="Calibration">Expected calibration error (ten bins).</param>
public sealed record EvaluationMetrics(long Rows, double Accuracy, double? Auc, double Loss, double Calibration);
