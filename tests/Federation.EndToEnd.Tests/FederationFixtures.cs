using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Federation.EndToEnd.Tests;

/// <summary>What the local-federation fixtures share: dataset bodies and a nation's view of its peers.</summary>
public static class FederationFixtures
{
    /// <summary>A public dataset <paramref name="reference"/> (<c>NATION/id</c>) as its home registers it.</summary>
    public static JsonObject DatasetBody(string reference, long sizeBytes, JsonObject residency, JsonObject dataUse)
    {
        var (nation, id) = (reference.Split('/')[0], reference.Split('/')[1]);
        return new JsonObject
        {
            ["id"] = id,
            ["title"] = $"{nation} {id}",
            ["location"] = $"s3://{nation.ToLowerInvariant()}/{id}",
            ["sizeBytes"] = sizeBytes,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reference))),
            ["format"] = "parquet",
            ["licence"] = "CC-BY-4.0",
            ["steward"] = $"{nation} data office",
            ["visibility"] = "public",
            ["residency"] = residency,
            ["dataUse"] = dataUse,
        };
    }

    /// <summary>What the nation behind <paramref name="observer"/> knows of <paramref name="subject"/> (GET /api/v1/peers).</summary>
    public static async Task<JsonObject?> PeerAsync(HttpClient observer, string subject)
    {
        var peers = await observer.GetFromJsonAsync<JsonArray>("api/v1/peers", TestContext.Current.CancellationToken);
        return peers!.OfType<JsonObject>().FirstOrDefault(p => p["nation"]?.GetValue<string>() == subject);
    }
}
