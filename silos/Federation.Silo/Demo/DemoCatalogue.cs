using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Results;

namespace Federation.Silo.Demo;

/// <summary>
/// The catalogue of a demo nation (<see cref="DemoProfile"/>): small generated files under the
/// nation's first data root, registered with their true size and sha256 and <c>file:</c>
/// locations (so staging and the content endpoint work on them), simulated GPU nodes and a model.
/// </summary>
public sealed partial class DemoCatalogue(IGrainFactory grains, DemoSettings settings, ILogger<DemoCatalogue> logger)
{
    /// <summary>How long a heartbeat of the simulated agent keeps a demo node up.</summary>
    public static readonly TimeSpan NodeLease = TimeSpan.FromSeconds(30);

    /// <summary>The data root's folder where <c>fedctl local up --training</c> puts the rows the training workload generated.</summary>
    public const string TrainingFolder = "training";

    /// <summary>Writes the demo files and registers the catalogue (idempotent: the same files and specs again).</summary>
    /// <returns>The demo nodes, for the simulated node agent.</returns>
    public async Task<IReadOnlyList<NodeId>> SeedAsync(NationCode nation, CancellationToken cancellationToken = default)
    {
        var profile = DemoProfile.For(nation);
        var folder = Path.Combine(settings.DataRoot, "demo");
        Directory.CreateDirectory(folder);
        foreach (var dataset in profile.Datasets)
        {
            var spec = await WriteAsync(nation, dataset, folder, cancellationToken);
            if (dataset.Id == DemoProfile.PatientOutcomesId && await TrainingRowsAsync(spec, cancellationToken) is { } generated)
            {
                spec = generated;
            }

            Report(spec.Id.Value, await grains.GetGrain<IDatasetGrain>(spec.Id.GrainKey).RegisterAsync(spec));
        }

        var nodes = new List<NodeId>();
        foreach (var node in profile.Nodes)
        {
            var spec = new GpuNodeSpec
            {
                Id = TypedId.Parse<NodeId>(node.Id),
                Site = $"{nation.Value.ToLowerInvariant()}-demo (simulated)",
                Accelerator = TypedId.Parse<AcceleratorSlug>(node.Accelerator),
                Count = node.Count,
                MemoryGb = node.Accelerator switch { "h100-sxm" or "a100-80gb-sxm" => 80, "l40s" => 48, _ => 24 },
                Lease = NodeLease,
                Simulated = true,
            };
            Report(node.Id, await grains.GetGrain<IGpuNodeGrain>(spec.Id.GrainKey).RegisterAsync(spec));
            nodes.Add(spec.Id);
        }

        var model = new ModelArtifactSpec
        {
            Ref = TypedId.Parse<ModelRef>("speech-lm@1.0.0"),
            Sha256 = TypedId.Parse<Sha256Digest>(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{nation}/speech-lm@1.0.0")))),
            Format = "safetensors",
            SizeBytes = 3_221_225_472,
            Licence = TypedId.Parse<SpdxExpression>("Apache-2.0"),
            Lineage = new ModelLineage([new DatasetRef(nation, TypedId.Parse<DatasetId>(DemoProfile.SpeechCorpus))], null),
            Metrics = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("perplexity", 11.4)]),
            Description = $"Demo language model trained on {nation}'s parliamentary corpus (no weights: a catalogue entry).",
        };
        Report(model.Ref.ToString(), await grains.GetGrain<IModelArtifactGrain>(model.Ref.GrainKey).RegisterAsync(model));
        LogSeeded(logger, nation.Value, profile.Datasets.Count, profile.Nodes.Count, folder);
        return nodes;
    }

    /// <summary>
    /// The <c>file:</c> URI of an absolute <paramref name="path"/>, written out (<c>file:///...</c>): a URI made from a bare
    /// path keeps the path as its original string, which JSON grain storage writes and reads back as a relative URI.
    /// </summary>
    public static Uri FileUri(string path) => new(new Uri(path).AbsoluteUri);

    /// <summary>The bytes of <paramref name="dataset"/>'s file: the same on every machine.</summary>
    public static byte[] Content(DemoDataset dataset)
    {
        var random = new DemoRandom(dataset.Id);
        var text = new StringBuilder(dataset.Header).Append('\n');
        for (var i = 0; i < dataset.Rows; i++)
        {
            text.Append(dataset.Row(i, random)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static async Task<DatasetSpec> WriteAsync(NationCode nation, DemoDataset dataset, string folder, CancellationToken cancellationToken)
    {
        var content = Content(dataset);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var path = Path.Combine(folder, $"{dataset.Id}.csv");
        if (!File.Exists(path) || Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, cancellationToken))) != sha)
        {
            // Written beside and moved, so that a reader never sees half a file.
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            await File.WriteAllBytesAsync(temporary, content, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }

        return new DatasetSpec
        {
            Id = TypedId.Parse<DatasetId>(dataset.Id),
            Title = dataset.Title,
            Description = dataset.Description,
            HomeNation = nation,
            Location = FileUri(path),
            SizeBytes = content.Length,
            RecordCount = dataset.Rows,
            Sha256 = TypedId.Parse<Sha256Digest>(sha),
            Format = "csv",
            Licence = TypedId.Parse<SpdxExpression>("CC-BY-4.0"),
            Steward = $"{nation} demo data office <data@example.org>",
            Tags = [.. dataset.Tags],
            Residency = dataset.Residency,
            DataUse = dataset.DataUse,
            Exports = dataset.Exports,
        };
    }

    /// <summary>
    /// <paramref name="spec"/> for the rows the training workload generated into the data root's <c>training</c>
    /// folder (<c>fedctl local up --training</c>), or null when there are none: then the demo's own file stays.
    /// </summary>
    private async Task<DatasetSpec?> TrainingRowsAsync(DatasetSpec spec, CancellationToken cancellationToken)
    {
        var path = Path.Combine(settings.DataRoot, TrainingFolder, $"{spec.Id}.csv");
        if (!File.Exists(path))
        {
            return null;
        }

        var content = await File.ReadAllBytesAsync(path, cancellationToken);
        return spec with
        {
            Location = FileUri(path),
            SizeBytes = content.Length,
            RecordCount = Math.Max(0, content.Count(b => b == (byte)'\n') - 1),
            Sha256 = TypedId.Parse<Sha256Digest>(Convert.ToHexStringLower(SHA256.HashData(content))),
            Description = $"Synthetic health records of {spec.HomeNation} from the training workload's generate verb (docs/workloads.md: age, bmi, systolic, smoker, hba1c, activity, outcome), with {spec.HomeNation}'s own distribution. Processed only in {spec.HomeNation}; only masked model updates may leave it, for federated training.",
        };
    }

    private void Report<T>(string what, CommandResult<T> result)
        where T : class
    {
        if (!result.Succeeded)
        {
            LogNotSeeded(logger, what, result.Status.ToString(), result.Reason ?? "");
        }
    }

    [LoggerMessage(EventId = 5111, Level = LogLevel.Information, Message = "Demo nation {Nation}: {Datasets} datasets (files in {Folder}), {Nodes} simulated nodes")]
    private static partial void LogSeeded(ILogger logger, string nation, int datasets, int nodes, string folder);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Warning, Message = "Demo entry {Entry} was not registered ({Status}): {Error}")]
    private static partial void LogNotSeeded(ILogger logger, string entry, string status, string error);
}
