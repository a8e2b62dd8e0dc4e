using System.Collections.Immutable;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Ids;

namespace Federation.Postgres.Tests.Catalogue;

/// <summary>Builds valid catalogue records with only the fields a test cares about.</summary>
public static class CatalogueRecords
{
    private static readonly DateTimeOffset s_created = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Sha256Digest s_digest = TypedId.Parse<Sha256Digest>(new string('a', 64));
    private static readonly NationCode s_home = TypedId.Parse<NationCode>("FR");

    public static DatasetRecord Dataset(
        string id,
        int version = 1,
        CatalogueStatus status = CatalogueStatus.Active,
        string? title = null,
        string description = "",
        string[]? tags = null,
        string licence = "CC-BY-4.0",
        Visibility visibility = Visibility.Public) => new()
        {
            Spec = new DatasetSpec
            {
                Id = TypedId.Parse<DatasetId>(id),
                Title = title ?? $"Dataset {id}",
                Description = description,
                HomeNation = s_home,
                Location = new Uri($"file:///data/{id}.parquet"),
                SizeBytes = 1024,
                Sha256 = s_digest,
                Format = "parquet",
                Licence = TypedId.Parse<SpdxExpression>(licence),
                Steward = "Data office <data@example.org>",
                Tags = [.. (tags ?? []).Order(StringComparer.Ordinal)],
                Visibility = visibility,
                Residency = Residency.HomeOnly,
                DataUse = DataUseConditions.Unrestricted,
            },
            Status = status,
            Version = version,
            CreatedAt = s_created,
            UpdatedAt = s_created.AddMinutes(version),
        };

    public static GpuNodeRecord Node(
        string id,
        int version = 1,
        CatalogueStatus status = CatalogueStatus.Active,
        string site = "paris-dc1",
        string accelerator = "h100-sxm",
        NodeState state = NodeState.Up) => new()
        {
            Spec = new GpuNodeSpec
            {
                Id = TypedId.Parse<NodeId>(id),
                Site = site,
                Accelerator = TypedId.Parse<AcceleratorSlug>(accelerator),
                Count = 8,
                MemoryGb = 80,
                Lease = TimeSpan.FromSeconds(30),
            },
            State = state,
            Status = status,
            PowerDrawWatts = 5600,
            Version = version,
            CreatedAt = s_created,
            UpdatedAt = s_created.AddMinutes(version),
        };

    public static ModelArtifactRecord Model(
        string name,
        string modelVersion,
        int version = 1,
        CatalogueStatus status = CatalogueStatus.Active,
        string format = "safetensors",
        string description = "",
        string licence = "Apache-2.0") => new()
        {
            Spec = new ModelArtifactSpec
            {
                Ref = TypedId.Parse<ModelRef>($"{name}@{modelVersion}"),
                Sha256 = s_digest,
                Format = format,
                SizeBytes = 4096,
                Licence = TypedId.Parse<SpdxExpression>(licence),
                Lineage = new ModelLineage([TypedId.Parse<DatasetRef>("FR/cancer-registry")], null),
                Metrics = ImmutableSortedDictionary<string, double>.Empty.Add("accuracy", 0.91),
                Description = description,
            },
            HomeNation = s_home,
            Status = status,
            Version = version,
            CreatedAt = s_created,
            UpdatedAt = s_created.AddMinutes(version),
        };
}
