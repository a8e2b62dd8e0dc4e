using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;

namespace Federation.Workloads.Training.Model;

/// <summary>
/// A model's parameters as one flat float32 vector plus its layout and sample count. On disk: the raw
/// little-endian float32 values in <c>name.f32</c> and a JSON <see cref="WeightsHeader"/> in
/// <c>name.json</c>, so that any library (secure aggregation, NumPy's <c>fromfile</c>) can sum vectors
/// without knowing the network.
/// </summary>
public sealed class FlatWeights
{
    /// <summary>The <see cref="WeightsHeader.Format"/> of this file format.</summary>
    public const string FormatName = "federation-flat-f32";

    private readonly float[] _values;

    /// <summary>Wraps values laid out as <paramref name="layout"/>.</summary>
    public FlatWeights(float[] values, IReadOnlyList<WeightTensor> layout, long sampleCount)
    {
        if (values.LongLength != layout.Sum(t => t.Count))
        {
            throw new ArgumentException($"{values.Length} values do not fill the layout of {layout.Sum(t => t.Count)}", nameof(values));
        }

        _values = values;
        Layout = layout;
        SampleCount = sampleCount;
    }

    /// <summary>The values, in layout order.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The tensors.</summary>
    public IReadOnlyList<WeightTensor> Layout { get; }

    /// <summary>The number of samples these weights were trained on (FedAvg's weight).</summary>
    public long SampleCount { get; }

    /// <summary>The header file path of a <c>.f32</c> path.</summary>
    public static string HeaderPath(string valuesPath) => Path.ChangeExtension(valuesPath, ".json");

    /// <summary>A copy of the values.</summary>
    public float[] ToArray() => (float[])_values.Clone();

    /// <summary>True when both layouts have the same names and shapes.</summary>
    public bool SameLayout(FlatWeights other) =>
        Layout.Count == other.Layout.Count
        && Layout.Zip(other.Layout).All(p => p.First.Name == p.Second.Name && p.First.Shape.SequenceEqual(p.Second.Shape));

    /// <summary>Writes <c>path</c> (values) and its header beside it.</summary>
    public void Write(string path)
    {
        var bytes = new byte[_values.Length * sizeof(float)];
        for (var i = 0; i < _values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), _values[i]);
        }

        File.WriteAllBytes(path, bytes);
        var header = new WeightsHeader
        {
            Count = _values.Length,
            SampleCount = SampleCount,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Layout = Layout,
        };
        File.WriteAllText(HeaderPath(path), JsonSerializer.Serialize(header, WorkloadJson.Options));
    }

    /// <summary>
    /// Reads a model to evaluate: <paramref name="path"/> with its header when the header is beside it (<see cref="Read"/>),
    /// else the bare values as a nation's model registry holds a <c>federation-flat-f32</c> artifact (the header is not
    /// part of it), laid out as <paramref name="layoutOf"/> gives for their count (null: no layout has that many values).
    /// </summary>
    public static FlatWeights ReadModel(string path, string field, Func<long, IReadOnlyList<WeightTensor>?> layoutOf)
    {
        ArgumentNullException.ThrowIfNull(layoutOf);
        if (File.Exists(HeaderPath(path)) || !File.Exists(path))
        {
            return Read(path, field);
        }

        var bytes = File.ReadAllBytes(path);
        var count = bytes.LongLength / sizeof(float);
        var layout = bytes.LongLength % sizeof(float) == 0 ? layoutOf(count) : null;
        if (layout is null || layout.Sum(t => t.Count) != count)
        {
            throw new WorkloadInputException(field, $"{path} has no header beside it and its {bytes.LongLength} bytes are not the float32 values of a network this workload builds");
        }

        return new FlatWeights(ReadValues(bytes, path, field), layout, 0);
    }

    /// <summary>Reads a weight file and its header; <paramref name="field"/> names it in errors.</summary>
    public static FlatWeights Read(string path, string field)
    {
        var headerPath = HeaderPath(path);
        if (!File.Exists(path))
        {
            throw new WorkloadInputException(field, $"no such weight file: {path}");
        }

        if (!File.Exists(headerPath))
        {
            throw new WorkloadInputException(field, $"the weight file's header {headerPath} is missing");
        }

        WeightsHeader header;
        try
        {
            header = JsonSerializer.Deserialize<WeightsHeader>(File.ReadAllText(headerPath), WorkloadJson.StrictOptions)
                ?? throw new JsonException("the header is null");
        }
        catch (JsonException e)
        {
            throw new WorkloadInputException(field, $"{headerPath} is not a weights header: {e.Message}");
        }

        if (header.Format != FormatName || header.Version != 1 || header.DType != "float32-le")
        {
            throw new WorkloadInputException(field, $"{headerPath}: format must be {FormatName} version 1, float32-le");
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.LongLength != header.Count * sizeof(float) || header.Layout.Sum(t => t.Count) != header.Count)
        {
            throw new WorkloadInputException(field, $"{path} holds {bytes.Length} bytes; its header says {header.Count} float32 values and a layout of {header.Layout.Sum(t => t.Count)}");
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(digest, header.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new WorkloadInputException(field, $"the sha256 of {path} is {digest}, not the {header.Sha256} its header states");
        }

        if (header.SampleCount < 0)
        {
            throw new WorkloadInputException(field, $"{headerPath}: sampleCount must not be negative");
        }

        return new FlatWeights(ReadValues(bytes, path, field), header.Layout, header.SampleCount);
    }

    private static float[] ReadValues(byte[] bytes, string path, string field)
    {
        var values = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
            if (!float.IsFinite(values[i]))
            {
                throw new WorkloadInputException(field, $"{path}: value {i} is not finite");
            }
        }

        return values;
    }
}
