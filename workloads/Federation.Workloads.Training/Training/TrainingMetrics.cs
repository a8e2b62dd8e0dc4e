namespace Federation.Workloads.Training.Training;

/// <summary>What local training reports (<c>metrics.json</c> of <c>train</c> and <c>centralized</c>).</summary>
/// <param name="Samples">Rows trained on (FedAvg's weight).</param>
/// <param name="Epochs">Epochs run.</param>
/// <param name="Steps">SGD steps run.</param>
/// <param name="FinalEpochLoss">Mean binary cross-entropy over the last epoch (without the proximal term).</param>
/// <param name="WallSeconds">Elapsed time of the training loop.</param>
/// <param name="CpuSeconds">CPU time of the process during the training loop.</param>
public sealed record TrainingMetrics(long Samples, int Epochs, long Steps, double FinalEpochLoss, double WallSeconds, double CpuSeconds);
