using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Grains.Nations;
using Federation.Protocol.Wire;
using Federation.Silo.Jobs;
using Federation.Testing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Shares;

/// <summary>Offers from a peer to an embedded silo, as its federation endpoint takes them, and the long demo job they carry.</summary>
internal static class EmbeddedOffers
{
    /// <summary>
    /// An embedded nation that offers <c>demo-train@1.0</c> (one second per estimated hour) with one GPU
    /// node, <paramref name="node"/>, up for an hour; <paramref name="extra"/> adds to or overrides that configuration.
    /// </summary>
    public static async Task<SiloUnderTest> StartWithNodeAsync(string node, IReadOnlyDictionary<string, string?> extra, CancellationToken cancellationToken)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Executor:SecondsPerEstimatedHour"] = "1",
        };
        foreach (var (key, value) in extra)
        {
            configuration[key] = value;
        }

        var silo = await SiloUnderTest.StartEmbeddedAsync(extra: configuration);
        await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node(node, leaseSeconds: 3600)), cancellationToken), HttpStatusCode.Created);
        await Http.ExpectAsync(await silo.Client.PostAsync($"/api/v1/nodes/{node}/heartbeat", Payloads.Json(new JsonObject()), cancellationToken), HttpStatusCode.OK);
        return silo;
    }

    /// <summary>A nation other than the silo's own.</summary>
    public static string PeerOf(SiloUnderTest silo) => silo.Services.GetRequiredService<LocalNation>().Code.Value == "DE" ? "SE" : "DE";

    /// <summary>
    /// <paramref name="count"/> accelerators for thousands of estimated hours: with
    /// <c>Federation:Executor:SecondsPerEstimatedHour</c> at 1, the run outlasts the test.
    /// </summary>
    public static JsonObject LongSpec(string id, int count, string workload = "demo-train") => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "uni:alice" },
        ["purpose"] = new JsonObject { ["use"] = "GRU" },
        ["accelerators"] = new JsonObject { ["count"] = count },
        ["work"] = new JsonObject { ["acceleratorHours"] = 4000, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 43200,
        ["workload"] = new JsonObject { ["name"] = workload, ["version"] = "1.0" },
    };

    /// <summary><paramref name="spec"/> offered by <paramref name="peer"/> (its origin) as epoch 1: the silo's answer.</summary>
    public static async Task<Admission> OfferAsync(SiloUnderTest silo, string peer, JsonObject spec)
    {
        var body = new JsonObject { ["job"] = $"{peer}/{spec["id"]!.GetValue<string>()}", ["epoch"] = 1, ["leaseSeconds"] = 3600, ["spec"] = spec };
        var request = JsonSerializer.Deserialize<OfferRequest>(body.ToJsonString(), FederationJson.Options)!;
        var result = await JobFederationEndpoints.HandleOfferAsync(request, TypedId.Parse<NationCode>(peer), silo.Services);
        return Assert.IsType<Ok<Admission>>(result).Value!;
    }
}
