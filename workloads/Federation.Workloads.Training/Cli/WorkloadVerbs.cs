using System.Text.Json;
using Federation.Workloads.Training.Data;
using Federation.Workloads.Training.Evaluation;
using Federation.Workloads.Training.Model;
using Federation.Workloads.Training.Training;

namespace Federation.Workloads.Training.Cli;

/// <summary>
/// The verbs of the workload, each from a <see cref="WorkloadManifest"/> to files in its output
/// directory (docs/workloads.md). They are library calls, so tests and other hosts run them in-process.
/// </summary>
public static class WorkloadVerbs
{
    /// <summary>The verb names, in the order the help lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["generate", "init", "train", "aggregate", "evaluate", "centralized"];

    /// <summary>Runs <paramref name="verb"/>; returns the paths of the files it wrote.</summary>
    public static IReadOnlyList<string> Run(string verb, WorkloadManifest manifest, string baseDirectory) => verb switch
    {
        "generate" => Generate(manifest, baseDirectory),
        "init" => Init(manifest, baseDirectory),
        "train" => Train(manifest, baseDirectory, centralized: false),
        "centralized" => Train(manifest, baseDirectory, centralized: true),
        "aggregate" => Aggregate(manifest, baseDirectory),
        "evaluate" => Evaluate(manifest, baseDirectory),
        _ => throw new WorkloadInputException("verb", $"'{verb}' is not one of {string.Join(", ", Names)}"),
    };

    private static string[] Generate(WorkloadManifest manifest, string baseDirectory)
    {
        var nation = manifest.Nation is { Length: >= 2 and <= 16 } code && code.All(char.IsAsciiLetterOrDigit)
            ? code
            : throw new WorkloadInputException("nation", "required: 2 to 16 ASCII letters or digits, e.g. FR");
        var rows = manifest.Rows ?? throw new WorkloadInputException("rows", $"required: 1..{SyntheticHealthGenerator.MaxRows}");
        var stem = manifest.Name ?? nation.ToLowerInvariant();
        if (stem.Length is 0 or > 64 || !stem.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new WorkloadInputException("name", "1 to 64 ASCII letters, digits, '-' or '_'");
        }

        var output = OutputDirectory(manifest, baseDirectory);
        var table = SyntheticHealthGenerator.Generate(nation, rows, manifest.Seed);
        var csv = Path.Combine(output, stem + ".csv");
        TabularData.WriteCsv(csv, table);
        var schemaPath = Path.Combine(output, stem + ".schema.json");
        var schema = DatasetSchema.Describe(nation, manifest.Seed, table, csv);
        File.WriteAllText(schemaPath, JsonSerializer.Serialize(schema, WorkloadJson.Options));
        return [csv, schemaPath];
    }

    private static string[] Init(WorkloadManifest manifest, string baseDirectory)
    {
        var output = OutputDirectory(manifest, baseDirectory);
        var weights = Initialise(manifest);
        var weightsPath = Path.Combine(output, "weights.f32");
        weights.Write(weightsPath);
        return [weightsPath, FlatWeights.HeaderPath(weightsPath)];
    }

    private static string[] Train(WorkloadManifest manifest, string baseDirectory, bool centralized)
    {
        var data = TabularData.Read(Paths(manifest.Data, "data", baseDirectory), "data");
        var initial = manifest.InitialWeights is { } path
            ? FlatWeights.Read(Resolve(path, baseDirectory), "initialWeights")
            : Initialise(manifest);
        if (manifest.Rounds is < 1 or > 1000)
        {
            throw new WorkloadInputException("rounds", $"{manifest.Rounds} is outside 1..1000");
        }

        var epochs = centralized ? manifest.Rounds * manifest.Epochs : manifest.Epochs;
        var options = new TrainingOptions(epochs, manifest.LearningRate, manifest.BatchSize, centralized ? 0 : manifest.ProximalMu, manifest.Seed, manifest.Round);
        var output = OutputDirectory(manifest, baseDirectory);
        var (weights, metrics) = LocalTrainer.Train(initial, data, options);
        using var model = TorchMlp.Load(weights, "weights");
        var local = BinaryMetrics.Compute(model.Predict(data), data.Labels);
        return Write(output, weights, new { verb = centralized ? "centralized" : "train", training = metrics, local });
    }

    private static string[] Aggregate(WorkloadManifest manifest, string baseDirectory)
    {
        var paths = Paths(manifest.Weights, "weights", baseDirectory);
        var updates = paths.Select((p, i) => FlatWeights.Read(p, $"weights[{i}]")).ToList();
        var output = OutputDirectory(manifest, baseDirectory);
        var aggregate = FederatedAveraging.Aggregate(updates);
        var contributors = paths.Select((p, i) => new { file = p, sampleCount = updates[i].SampleCount }).ToList();
        return Write(output, aggregate, new { verb = "aggregate", rule = "fedavg", sampleCount = aggregate.SampleCount, contributors });
    }

    private static string[] Evaluate(WorkloadManifest manifest, string baseDirectory)
    {
        var modelPath = manifest.Model ?? throw new WorkloadInputException("model", "required: the weights (.f32, with its header beside it or bare as a registered model) to evaluate");
        var weights = FlatWeights.ReadModel(Resolve(modelPath, baseDirectory), "model", TorchMlp.LayoutOfCount);
        var data = TabularData.Read(Paths(manifest.Data, "data", baseDirectory), "data");
        var output = OutputDirectory(manifest, baseDirectory);
        using var model = TorchMlp.Load(weights, "model");
        var report = BinaryMetrics.Compute(model.Predict(data), data.Labels);
        var metricsPath = Path.Combine(output, "metrics.json");
        File.WriteAllText(metricsPath, JsonSerializer.Serialize(new { verb = "evaluate", evaluation = report }, WorkloadJson.Options));
        return [metricsPath];
    }

    private static FlatWeights Initialise(WorkloadManifest manifest) =>
        manifest.HiddenUnits is >= 1 and <= 4096
            ? TorchMlp.Initialise(manifest.HiddenUnits, manifest.Seed)
            : throw new WorkloadInputException("hiddenUnits", $"{manifest.HiddenUnits} is outside 1..4096");

    private static string[] Write(string output, FlatWeights weights, object metrics)
    {
        var weightsPath = Path.Combine(output, "weights.f32");
        weights.Write(weightsPath);
        var metricsPath = Path.Combine(output, "metrics.json");
        File.WriteAllText(metricsPath, JsonSerializer.Serialize(metrics, WorkloadJson.Options));
        return [weightsPath, FlatWeights.HeaderPath(weightsPath), metricsPath];
    }

    private static List<string> Paths(IReadOnlyList<string?>? values, string field, string baseDirectory)
    {
        if (values is null || values.Count == 0)
        {
            throw new WorkloadInputException(field, "required: at least one file");
        }

        return [.. values.Select((v, i) => string.IsNullOrWhiteSpace(v)
            ? throw new WorkloadInputException($"{field}[{i}]", "must be a file path, not null or empty")
            : Resolve(v, baseDirectory))];
    }

    private static string Resolve(string path, string baseDirectory) => Path.GetFullPath(path, baseDirectory);

    private static string OutputDirectory(WorkloadManifest manifest, string baseDirectory)
    {
        var path = manifest.OutputDirectory is { Length: > 0 } value
            ? Resolve(value, baseDirectory)
            : throw new WorkloadInputException("outputDirectory", "required: where the verb writes its files");
        Directory.CreateDirectory(path);
        return path;
    }
}
