namespace Federation.Workloads.Training.Training;

/// <summary>The hyper-parameters of local training (manifest fields of the same names; docs/workloads.md).</summary>
/// <param name="Epochs">Passes over the local data.</param>
/// <param name="LearningRate">Step size of plain SGD (no momentum, so no optimiser state crosses rounds).</param>
/// <param name="BatchSize">Rows per step.</param>
/// <param name="ProximalMu">FedProx's μ: adds μ/2 ‖w − w₀‖² to the loss, w₀ the round's initial weights; 0 is FedAvg.</param>
/// <param name="Seed">Seeds the batch order (with <paramref name="Round"/> and the epoch).</param>
/// <param name="Round">The federated round, so that each round shuffles differently but reproducibly.</param>
public sealed record TrainingOptions(int Epochs, double LearningRate, int BatchSize, double ProximalMu, long Seed, int Round);
