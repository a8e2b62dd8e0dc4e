using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Federation.Fuzz.Tests;

/// <summary>Valid request bodies (the starting points of most mutations), like the documentation's examples.</summary>
public static class Templates
{
    public static JsonObject Dataset(string id) => new()
    {
        ["id"] = id,
        ["title"] = "Fuzzed dataset",
        ["description"] = "Registered by the fuzz suite",
        ["location"] = $"s3://bucket/{id}",
        ["sizeBytes"] = 1024,
        ["recordCount"] = 10,
        ["sha256"] = Sha(id),
        ["format"] = "parquet",
        ["licence"] = "CC-BY-4.0",
        ["steward"] = "Fuzz office <f@example.org>",
        ["tags"] = new JsonArray("health", "fuzz"),
        ["residency"] = new JsonObject { ["kind"] = "homeOnly" },
        ["dataUse"] = new JsonObject { ["permission"] = "HMB", ["modifiers"] = new JsonArray("IRB"), ["users"] = new JsonArray("alice@example.org") },
    };

    public static JsonObject Node(string id) => new()
    {
        ["id"] = id,
        ["site"] = "fuzz-site",
        ["accelerator"] = "h100-sxm",
        ["count"] = 2,
        ["leaseSeconds"] = 30,
    };

    public static JsonObject Model(string name, string version) => new()
    {
        ["name"] = name,
        ["version"] = version,
        ["sha256"] = Sha(name + version),
        ["format"] = "safetensors",
        ["sizeBytes"] = 4096,
        ["licence"] = "Apache-2.0",
        ["lineage"] = new JsonObject { ["datasets"] = new JsonArray() },
        ["metrics"] = new JsonObject { ["accuracy"] = 0.9 },
        ["energyKwh"] = 1.5,
        ["emissionsGco2e"] = 90.0,
    };

    public static JsonObject Job(string id, string[]? inputs = null) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "alice@example.org", ["consortium"] = "fuzz" },
        ["inputs"] = new JsonArray((inputs ?? []).Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
        ["purpose"] = new JsonObject { ["use"] = "GRU", ["project"] = "fuzz" },
        ["accelerators"] = new JsonObject { ["count"] = 1 },
        ["work"] = new JsonObject { ["acceleratorHours"] = 0.1, ["referenceAccelerator"] = "h100-sxm" },
        ["walltimeMinutes"] = 60,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0", ["arguments"] = new JsonObject() },
    };

    private static string Sha(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));
}
