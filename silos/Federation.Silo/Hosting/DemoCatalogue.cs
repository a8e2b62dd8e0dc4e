using System.Security.Cryptography;
using System.Text;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;

namespace Federation.Silo.Hosting;

/// <summary>A small catalogue for the embedded mode, so that one command shows something real.</summary>
public sealed class DemoCatalogue(IGrainFactory grains)
{
    /// <summary>Registers three datasets, two nodes and a model (idempotent).</summary>
    public async Task SeedAsync(NationCode nation)
    {
        var registry = Dataset(nation, "cancer-registry", "National cancer registry (synthetic extract)", "Incidence records by region, age band and ICD-10 site.", 52_428_800, 1_200_000,
            ["health", "oncology"], Residency.HomeOnly, new DataUseConditions(DuoPermission.DS, "MONDO:0004992", [DuoModifier.IRB, DuoModifier.NCU], [], [], [], [], null, null));
        var corpus = Dataset(nation, "parliament-speech", "Parliamentary speech corpus", "Transcribed debates for language modelling.", 8_589_934_592, 4_300_000,
            ["language", "speech"], new Residency(ResidencyKind.Anywhere, []), DataUseConditions.Unrestricted);
        var air = Dataset(nation, "air-quality", "Air quality sensors 2015-2024", "Hourly NO2, PM2.5 and O3 by station.", 1_073_741_824, 87_000_000,
            ["climate", "environment"], new Residency(ResidencyKind.Anywhere, []), DataUseConditions.Unrestricted with { Permission = DuoPermission.GRU });
        foreach (var spec in new[] { registry, corpus, air })
        {
            await grains.GetGrain<IDatasetGrain>(spec.Id.GrainKey).RegisterAsync(spec);
        }

        foreach (var (id, slug, count) in new[] { ("gpu-a01", "h100-sxm", 8), ("gpu-b01", "l40s", 4) })
        {
            var node = new GpuNodeSpec
            {
                Id = TypedId.Parse<NodeId>(id),
                Site = "demo-site",
                Accelerator = TypedId.Parse<AcceleratorSlug>(slug),
                Count = count,
                MemoryGb = slug == "h100-sxm" ? 80 : 48,
                Lease = TimeSpan.FromSeconds(30),
            };
            await grains.GetGrain<IGpuNodeGrain>(node.Id.GrainKey).RegisterAsync(node);
        }

        var model = new ModelArtifactSpec
        {
            Ref = TypedId.Parse<ModelRef>("speech-lm@1.0.0"),
            Sha256 = Digest("speech-lm@1.0.0"),
            Format = "safetensors",
            SizeBytes = 3_221_225_472,
            Licence = TypedId.Parse<SpdxExpression>("Apache-2.0"),
            Lineage = new ModelLineage([new DatasetRef(nation, corpus.Id)], null),
            Metrics = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("perplexity", 11.4)]),
            Description = "Demo language model trained on the parliamentary corpus.",
        };
        await grains.GetGrain<IModelArtifactGrain>(model.Ref.GrainKey).RegisterAsync(model);
    }

    private static DatasetSpec Dataset(NationCode nation, string id, string title, string description, long size, long records, string[] tags, Residency residency, DataUseConditions dataUse) => new()
    {
        Id = TypedId.Parse<DatasetId>(id),
        Title = title,
        Description = description,
        HomeNation = nation,
        Location = new Uri($"file:///srv/datasets/{id}"),
        SizeBytes = size,
        RecordCount = records,
        Sha256 = Digest(id),
        Format = "parquet",
        Licence = TypedId.Parse<SpdxExpression>("CC-BY-4.0"),
        Steward = "Demo data office <data@example.org>",
        Tags = [.. tags],
        Residency = residency,
        DataUse = dataUse,
    };

    private static Sha256Digest Digest(string text) =>
        TypedId.Parse<Sha256Digest>(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
}
