using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Federation.Learning.Protocol;

namespace Federation.Learning.Run;

/// <summary>
/// The training workload's file contract (docs/workloads.md) for one local step: reads the trained
/// <c>weights.f32</c>, its <c>weights.json</c> header and <c>metrics.json</c> into a
/// <see cref="LocalStepResult"/>, and writes a round's global weights in the same format. Every check
/// names the file and field; nothing here touches the disk.
/// </summary>
public static class LocalStepFiles
{
    /// <summary>The weights format name of the header.</summary>
    public const string FormatName = "federation-flat-f32";

    /// <summary>Reads a local step's outputs; throws <see cref="FormatException"/> naming the file and field.</summary>
    public static LocalStepResult Read(RoundKey session, ReadOnlySpan<byte> weights, string weightsJson, string metricsJson)
    {
        ArgumentNullException.ThrowIfNull(weightsJson);
        ArgumentNullException.ThrowIfNull(metricsJson);
        var values = ReadWeights(weights, weightsJson, out var samples);
        if (samples < 1)
        {
            throw new FormatException("weights.json: sampleCount must be at least 1 for trained weights.");
        }

        using var metrics = Parse(metricsJson, "metrics.json");
        if (!metrics.RootElement.TryGetProperty("local", out var local) || local.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("metrics.json: local (the evaluation of the local model) is required.");
        }

        var loss = Number(local, "logLoss", "metrics.json: local.logLoss");
        var accuracy = Number(local, "accuracy", "metrics.json: local.accuracy");
        var rows = (long)Number(local, "rows", "metrics.json: local.rows");
        if (loss < 0 || accuracy is < 0 or > 1 || rows < 1)
        {
            throw new FormatException("metrics.json: local.logLoss must be at least 0, local.accuracy 0 to 1, local.rows at least 1.");
        }

        return new LocalStepResult(session, values, samples, loss, accuracy, rows);
    }

    /// <summary>The measured CPU and wall seconds of a local step (<c>training.cpuSeconds</c>, <c>training.wallSeconds</c> of its <c>metrics.json</c>); throws <see cref="FormatException"/> naming the field.</summary>
    public static (double CpuSeconds, double WallSeconds) ReadTrainingTime(string metricsJson)
    {
        ArgumentNullException.ThrowIfNull(metricsJson);
        using var metrics = Parse(metricsJson, "metrics.json");
        if (!metrics.RootElement.TryGetProperty("training", out var training) || training.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("metrics.json: training (what the step measured) is required.");
        }

        var cpu = Number(training, "cpuSeconds", "metrics.json: training.cpuSeconds");
        var wall = Number(training, "wallSeconds", "metrics.json: training.wallSeconds");
        return cpu >= 0 && wall >= 0
            ? (cpu, wall)
            : throw new FormatException("metrics.json: training.cpuSeconds and training.wallSeconds must be at least 0.");
    }

    /// <summary>Reads a weights file and its header (format, dtype, count, sha256), returning the values and the header's sample count.</summary>
    public static ImmutableArray<double> ReadWeights(ReadOnlySpan<byte> weights, string weightsJson, out long sampleCount)
    {
        ArgumentNullException.ThrowIfNull(weightsJson);
        using var header = Parse(weightsJson, "weights.json");
        var root = header.RootElement;
        if (Text(root, "format") != FormatName || Text(root, "dtype") != "float32-le" || Number(root, "version", "weights.json: version") != 1)
        {
            throw new FormatException($"weights.json: format must be {FormatName} version 1, dtype float32-le.");
        }

        var count = (long)Number(root, "count", "weights.json: count");
        if (count < 1 || count * 4 != weights.Length)
        {
            throw new FormatException($"weights.f32 holds {weights.Length} bytes; weights.json: count says {count} float32 values.");
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(weights));
        if (!string.Equals(Text(root, "sha256"), digest, StringComparison.Ordinal))
        {
            throw new FormatException($"weights.f32 has sha256 {digest}; weights.json: sha256 says {Text(root, "sha256")}.");
        }

        sampleCount = (long)Number(root, "sampleCount", "weights.json: sampleCount");
        var values = new double[count];
        for (var i = 0; i < values.Length; i++)
        {
            var value = BinaryPrimitives.ReadSingleLittleEndian(weights.Slice(i * 4, 4));
            values[i] = float.IsFinite(value) ? value : throw new FormatException($"weights.f32: value {i} is not a finite number.");
        }

        return ImmutableArray.Create(values);
    }

    /// <summary>Writes <paramref name="weights"/> as float32 with a header that keeps <paramref name="layoutJson"/> (the model's tensor layout, a JSON array).</summary>
    public static (byte[] Weights, string Header) Write(ImmutableArray<double> weights, string layoutJson, long sampleCount)
    {
        ArgumentNullException.ThrowIfNull(layoutJson);
        var bytes = new byte[weights.Length * 4];
        for (var i = 0; i < weights.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4, 4), (float)weights[i]);
        }

        using var layout = Parse(layoutJson, "layout");
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", FormatName);
            writer.WriteNumber("version", 1);
            writer.WriteString("dtype", "float32-le");
            writer.WriteNumber("count", weights.Length);
            writer.WriteNumber("sampleCount", sampleCount);
            writer.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(bytes)));
            writer.WritePropertyName("layout");
            layout.RootElement.WriteTo(writer);
            writer.WriteEndObject();
        }

        return (bytes, Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static JsonDocument Parse(string json, string file)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{file}: not JSON ({e.Message}).", e);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double Number(JsonElement element, string name, string field) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && double.IsFinite(value.GetDouble())
            ? value.GetDouble()
            : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{field} must be a finite number."));
}
