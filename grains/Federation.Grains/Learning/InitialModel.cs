using System.Collections.Immutable;

namespace Federation.Grains.Learning;

/// <summary>A federated run's initial global model: its flat weights and their tensor layout (the JSON array of the weights header, docs/workloads.md).</summary>
/// <param name="Weights">The flat weights.</param>
/// <param name="LayoutJson">The tensors in order with their shapes, as a JSON array.</param>
public sealed record InitialModel(ImmutableArray<double> Weights, string LayoutJson);
