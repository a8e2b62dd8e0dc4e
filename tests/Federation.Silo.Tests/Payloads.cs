using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Federation.Silo.Tests;

/// <summary>Request bodies used across the tests.</summary>
public static class Payloads
{
    public static string Sha(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));

    public static JsonObject Dataset(string id, string title = "A dataset") => new()
    {
        ["id"] = id,
        ["title"] = title,
        ["description"] = "Registered by a test",
        ["location"] = $"s3://bucket/{id}",
        ["sizeBytes"] = 1024,
        ["recordCount"] = 10,
        ["sha256"] = Sha(id),
        ["format"] = "parquet",
        ["licence"] = "CC-BY-4.0",
        ["steward"] = "Test office <t@example.org>",
        ["tags"] = new JsonArray("health", "test"),
        ["residency"] = new JsonObject { ["kind"] = "homeOnly" },
        ["dataUse"] = new JsonObject { ["permission"] = "HMB", ["modifiers"] = new JsonArray("IRB") },
    };

    public static JsonObject Node(string id, double leaseSeconds = 30) => new()
    {
        ["id"] = id,
        ["site"] = "test-site",
        ["accelerator"] = "h100-sxm",
        ["count"] = 4,
        ["leaseSeconds"] = leaseSeconds,
    };

    public static JsonObject Model(string name, string version, params string[] datasets) => new()
    {
        ["name"] = name,
        ["version"] = version,
        ["sha256"] = Sha(name + version),
        ["format"] = "safetensors",
        ["sizeBytes"] = 4096,
        ["licence"] = "Apache-2.0",
        ["lineage"] = new JsonObject { ["datasets"] = new JsonArray(datasets.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()) },
        ["metrics"] = new JsonObject { ["accuracy"] = 0.91 },
        ["energyKwh"] = 12.5,
        ["emissionsGco2e"] = 690.0,
    };

    public static JsonContent Json(JsonNode node) => JsonContent.Create(node);
}
