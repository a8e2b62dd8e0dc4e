using System.Text.Json.Serialization;

namespace Federation.Workloads.Training.Model;

/// <summary>The JSON header (<c>*.json</c>) beside a raw float32 weight file (<c>*.f32</c>); see docs/workloads.md.</summary>
public sealed class WeightsHeader
{
    /// <summary>The format name; always <see cref="FlatWeights.FormatName"/>.</summary>
    public string Format { get; init; } = FlatWeights.FormatName;

    /// <summary>The format version; 1.</summary>
    public int Version { get; init; } = 1;

    /// <summary>Little-endian float32.</summary>
    [JsonPropertyName("dtype")]
    public string DType { get; init; } = "float32-le";

    /// <summary>The number of float32 values in the <c>.f32</c> file.</summary>
    public long Count { get; init; }

    /// <summary>How many training samples these weights stand for (FedAvg's weight); 0 for freshly initialised weights.</summary>
    public long SampleCount { get; init; }

    /// <summary>The lower-case hex sha256 of the <c>.f32</c> file.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>The tensors, in the order of their values.</summary>
    public IReadOnlyList<WeightTensor> Layout { get; init; } = [];
}
