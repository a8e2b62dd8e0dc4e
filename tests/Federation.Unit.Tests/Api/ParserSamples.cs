using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Nations;
using Federation.Silo.Api.Requests;

namespace Federation.Unit.Tests.Api;

/// <summary>Valid requests, built fresh for each test so that one test's edits never leak into another.</summary>
internal static class ParserSamples
{
    public const string Sha256 = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";

    public static NationProfile France { get; } = new()
    {
        Code = TypedId.Parse<NationCode>("FR"),
        Name = "France",
        Pue = 1.3,
        GridZone = "FR",
        Policies = new NationPolicies(Residency.HomeOnly, Visibility.Public, 0.25),
    };

    public static DatasetRequest Dataset() => new()
    {
        Id = "cancer-registry",
        Title = "Cancer registry",
        Description = "National cancer registry, 2010-2024.",
        HomeNation = "FR",
        Location = "s3://registry/cancer/2024/",
        SizeBytes = 123_456_789,
        RecordCount = 4_200_000,
        Sha256 = Sha256,
        Format = "parquet",
        SchemaSummary = "patient_id: string, diagnosis: string",
        Licence = "CC-BY-4.0 OR MIT",
        Steward = "Registry office <registry@example.org>",
        Tags = ["registry", "cancer", "registry"],
        Visibility = "private",
        Residency = new ResidencyRequest { Kind = "listedNations", Nations = ["DE", "BE"] },
        DataUse = new DataUseRequest
        {
            Permission = "DS",
            DiseaseTerm = "MONDO:0004992",
            Modifiers = ["NCU", "GS"],
            Nations = ["FR", "DE"],
        },
    };

    public static NodeRequest Node() => new()
    {
        Id = "gpu-paris-01",
        Site = "Paris-Saclay",
        Accelerator = "h100-sxm",
        Count = 8,
        LeaseSeconds = 45,
    };

    public static ModelRequest Model() => new()
    {
        Name = "sovereign-llm-7b",
        Version = "1.0",
        Sha256 = Sha256,
        Format = "safetensors",
        SizeBytes = 14_000_000_000,
        Licence = "Apache-2.0",
        BaseModel = "base-7b@0.9",
        Lineage = new LineageRequest { Datasets = ["FR/cancer-registry", "DE/genome-panel"], ProducingJob = "FR/train-42" },
        Metrics = new Dictionary<string, double> { ["accuracy"] = 0.91 },
        EnergyKwh = 1234.5,
        EmissionsGco2e = 68_144.4,
        Description = "Fine-tuned on the cancer registry.",
    };
}
