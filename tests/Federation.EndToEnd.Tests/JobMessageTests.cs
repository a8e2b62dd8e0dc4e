using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Protocol.Wire;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Job messages from a peer nation over real mutual TLS (two in-process nations): the receiving
/// nation checks them as strictly as a user's input and decides on its own data, whatever the
/// sender's router said. The tests share FR and DE with other classes: each uses names of its own.
/// </summary>
[Collection(SharedTwoNationsCollection.Name)]
public sealed class JobMessageTests(SharedTwoNations shared)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Spec(string id, string use, params string[] inputs) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "mallory@example.org" },
        ["inputs"] = new JsonArray([.. inputs.Select(i => (JsonNode?)JsonValue.Create(i))]),
        ["purpose"] = new JsonObject { ["use"] = use, ["commercial"] = true },
        ["accelerators"] = new JsonObject { ["count"] = 1 },
        ["work"] = new JsonObject { ["acceleratorHours"] = 1, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 60,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
    };

    private static JsonObject Offer(string job, int epoch, JsonObject spec) => new() { ["job"] = job, ["epoch"] = epoch, ["leaseSeconds"] = 30, ["spec"] = spec };

    private static async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(HttpClient client, string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }.WithRequestId(Guid.NewGuid());
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    [Fact]
    public async Task Offer_ForDataWhoseConditionsForbidThePurpose_RefusedByTheDataHomeAndAudited()
    {
        var nations = shared.Nations;
        using var frApi = new HttpClient { BaseAddress = new Uri(nations.Fr.ApiUrl + "/") };
        var dataset = new JsonObject
        {
            ["id"] = "patient-notes", ["title"] = "Notes", ["location"] = "s3://fr/notes", ["sizeBytes"] = 10, ["sha256"] = new string('c', 64),
            ["format"] = "csv", ["licence"] = "CC-BY-4.0", ["steward"] = "FR office", ["residency"] = new JsonObject { ["kind"] = "anywhere" },
            ["dataUse"] = new JsonObject { ["permission"] = "HMB", ["modifiers"] = new JsonArray("NCU") },
        };
        Assert.Equal(HttpStatusCode.Created, (await frApi.PostAsJsonAsync("api/v1/datasets", dataset, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await frApi.PostAsJsonAsync("api/v1/nodes", new JsonObject { ["id"] = "fr-gpu", ["site"] = "lab", ["accelerator"] = "a100-80gb-sxm", ["count"] = 2 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await frApi.PostAsJsonAsync("api/v1/nodes/fr-gpu/heartbeat", new JsonObject(), Ct)).StatusCode);

        // DE's own router would never send this: a commercial purpose on non-commercial data.
        using var de = nations.De.Peers.CreateClient(nations.De.Roster.Find("FR")!);
        var (status, admission) = await PostAsync(de, "federation/v1/jobs/offers", Offer("DE/forged-1", 1, Spec("forged-1", "HMB", "FR/patient-notes")));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(admission["admitted"]!.GetValue<bool>());
        Assert.Contains("NCU", admission["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        using var execution = await frApi.GetAsync("api/v1/executions/DE/forged-1/1", Ct);
        var record = (await execution.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        Assert.Equal("failed", record["state"]!.GetValue<string>());
        Assert.Empty(record["allocations"]!.AsObject());

        // The same offer again gets the same answer; nothing runs.
        var (_, again) = await PostAsync(de, "federation/v1/jobs/offers", Offer("DE/forged-1", 1, Spec("forged-1", "HMB", "FR/patient-notes")));
        Assert.Equal(admission.ToJsonString(), again.ToJsonString());
    }

    [Fact]
    public async Task Messages_FromTheWrongNationOrMalformed_AreRefusedNamingTheRule()
    {
        var nations = shared.Nations;
        using var de = nations.De.Peers.CreateClient(nations.De.Roster.Find("FR")!);

        // DE may not offer FR's jobs, nor cancel them.
        var (offerStatus, offerProblem) = await PostAsync(de, "federation/v1/jobs/offers", Offer("FR/not-yours", 1, Spec("not-yours", "GRU")));
        Assert.Equal(HttpStatusCode.Forbidden, offerStatus);
        Assert.Contains("may offer only its own jobs", offerProblem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var (cancelStatus, _) = await PostAsync(de, "federation/v1/jobs/cancellations", new JsonObject { ["job"] = "FR/not-yours", ["epoch"] = 1, ["reason"] = "x", ["fenced"] = false });
        Assert.Equal(HttpStatusCode.Forbidden, cancelStatus);

        // A malformed offer: every field named, nothing stored.
        var bad = Spec("bad", "DS");
        bad["walltimeMinutes"] = -5;
        var (badStatus, badProblem) = await PostAsync(de, "federation/v1/jobs/offers", new JsonObject { ["job"] = "DE/bad", ["epoch"] = 0, ["leaseSeconds"] = 99999, ["spec"] = bad });
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        var errors = badProblem["errors"]!.AsObject();
        foreach (var field in new[] { "epoch", "leaseSeconds", "spec.walltimeMinutes", "spec.purpose.diseaseTerm" })
        {
            Assert.True(errors.ContainsKey(field), $"expected {field} in {badProblem.ToJsonString()}");
        }

        using var frApi = new HttpClient { BaseAddress = new Uri(nations.Fr.ApiUrl + "/") };
        Assert.Equal(HttpStatusCode.NotFound, (await frApi.GetAsync("api/v1/executions/DE/bad/0", Ct)).StatusCode);

        // A report or a lease renewal for a job FR never originated.
        var (reportStatus, _) = await PostAsync(de, "federation/v1/jobs/reports", new JsonObject { ["job"] = "DE/x", ["epoch"] = 1, ["sequence"] = 1, ["state"] = "running" });
        Assert.Equal(HttpStatusCode.NotFound, reportStatus);
        var (leaseStatus, lease) = await PostAsync(de, "federation/v1/jobs/leases", new JsonObject { ["job"] = "FR/never-submitted", ["epoch"] = 1 });
        Assert.Equal(HttpStatusCode.OK, leaseStatus);
        Assert.Equal("fenced", lease["verdict"]!.GetValue<string>());
    }
}
