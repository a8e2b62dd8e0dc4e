using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Protocol.Wire;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// <c>POST /federation/v1/jobs/batches</c> between two in-process nations over real mutual TLS: the
/// receiver advertises its limits in <c>hello</c>, answers every entry on its own (a bad entry gets its
/// own problem naming the entry and the field, the others are delivered), and refuses a batch over its
/// limits whole with 413 problem+json.
/// </summary>
public sealed class JobBatchMessageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> s_settings = new()
    {
        ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
        ["Federation:Peering:Batch:MaxMessages"] = "4",
    };

    private static JsonObject Spec(string id) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "alice@example.org" },
        ["inputs"] = new JsonArray(),
        ["purpose"] = new JsonObject { ["use"] = "GRU" },
        ["accelerators"] = new JsonObject { ["count"] = 1 },
        ["work"] = new JsonObject { ["acceleratorHours"] = 1, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 60,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
    };

    private static JsonObject Entry(string kind, JsonNode? body, Guid? id = null, string? traceParent = null)
    {
        var entry = new JsonObject { ["id"] = (id ?? Guid.NewGuid()).ToString("D"), ["kind"] = kind, ["body"] = body };
        if (traceParent is not null)
        {
            entry["traceParent"] = traceParent;
        }

        return entry;
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body, string? ContentType)> PostAsync(HttpClient client, string path, JsonNode body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }.WithRequestId(Guid.NewGuid());
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject(), response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Batch_OfGoodAndBadEntries_AnswersEachOnItsOwnAndRefusesAnOversizeBatchWith413()
    {
        await using var nations = await TwoNations.StartAsync(s_settings);
        using var de = nations.De.Peers.CreateClient(nations.De.Roster.Find("FR")!);

        // FR's hello says it takes batches, and how large.
        using var hello = new HttpRequestMessage(HttpMethod.Get, "federation/v1/hello").WithRequestId(Guid.NewGuid());
        using var helloResponse = await de.SendAsync(hello, Ct);
        var limits = (await helloResponse.Content.ReadFromJsonAsync<JsonObject>(Ct))!["messageBatches"]!;
        Assert.Equal(4, limits["maxMessages"]!.GetValue<int>());
        Assert.True(limits["maxBytes"]!.GetValue<long>() >= 4096, limits.ToJsonString());

        var offerId = Guid.NewGuid();
        var (status, answer, _) = await PostAsync(de, "federation/v1/jobs/batches", new JsonObject
        {
            ["entries"] = new JsonArray(
                Entry(MessageBatchKinds.Offer, new JsonObject { ["job"] = "DE/batched-1", ["epoch"] = 1, ["leaseSeconds"] = 30, ["spec"] = Spec("batched-1") }, offerId),
                Entry(MessageBatchKinds.Cancellation, new JsonObject { ["job"] = "DE/batched-1", ["epoch"] = 0, ["reason"] = "x", ["fenced"] = false }),
                Entry(MessageBatchKinds.Renewal, new JsonObject { ["job"] = "FR/never-submitted", ["epoch"] = 1 }, traceParent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                Entry("teleport", new JsonObject { ["job"] = "DE/batched-1" }, traceParent: "00-not-a-trace")),
        });

        Assert.Equal(HttpStatusCode.OK, status);
        var entries = answer["entries"]!.AsArray();
        Assert.Equal([0, 1, 2, 3], entries.Select(e => e!["index"]!.GetValue<int>()));

        // The offer was delivered to FR's admission, which answered it (no node here: refused, with the reason).
        Assert.Equal(200, entries[0]!["status"]!.GetValue<int>());
        Assert.Equal(offerId, entries[0]!["id"]!.GetValue<Guid>());
        Assert.False(entries[0]!["answer"]!["admitted"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(entries[0]!["answer"]!["reason"]!.GetValue<string>()));
        using var frApi = new HttpClient { BaseAddress = new Uri(nations.Fr.ApiUrl + "/") };
        Assert.Equal(HttpStatusCode.OK, (await frApi.GetAsync("api/v1/executions/DE/batched-1/1", Ct)).StatusCode);

        // The bad cancellation got its own problem, naming the entry and the field.
        Assert.Equal(400, entries[1]!["status"]!.GetValue<int>());
        var problem = entries[1]!["problem"]!;
        Assert.True(problem["errors"]!.AsObject().ContainsKey("entries[1].body.epoch"), problem.ToJsonString());
        Assert.StartsWith("entries[1]", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // The renewal (with a well-formed traceParent) went through as on its own route.
        Assert.Equal(200, entries[2]!["status"]!.GetValue<int>());
        Assert.Equal("fenced", entries[2]!["answer"]!["verdict"]!.GetValue<string>());

        // An unknown kind is named with the kinds there are.
        Assert.Equal(400, entries[3]!["status"]!.GetValue<int>());
        var kind = entries[3]!["problem"]!["errors"]!["entries[3].kind"]![0]!.GetValue<string>();
        Assert.Contains(MessageBatchKinds.Cancellation, kind, StringComparison.Ordinal);
        Assert.Contains("W3C traceparent", entries[3]!["problem"]!["errors"]!["entries[3].traceParent"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        // More entries than FR advertised: refused whole, problem+json naming the setting; nothing delivered.
        var tooMany = new JsonArray([.. Enumerable.Range(0, 5).Select(i => (JsonNode)Entry(MessageBatchKinds.Offer,
            new JsonObject { ["job"] = $"DE/over-{i}", ["epoch"] = 1, ["leaseSeconds"] = 30, ["spec"] = Spec($"over-{i}") }))]);
        var (overStatus, overProblem, contentType) = await PostAsync(de, "federation/v1/jobs/batches", new JsonObject { ["entries"] = tooMany });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, overStatus);
        Assert.Equal("application/problem+json", contentType);
        Assert.Contains("Federation:Peering:Batch:MaxMessages", overProblem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await frApi.GetAsync("api/v1/executions/DE/over-0/1", Ct)).StatusCode);

        // An empty batch names the field.
        var (emptyStatus, emptyProblem, _) = await PostAsync(de, "federation/v1/jobs/batches", new JsonObject { ["entries"] = new JsonArray() });
        Assert.Equal(HttpStatusCode.BadRequest, emptyStatus);
        Assert.True(emptyProblem["errors"]!.AsObject().ContainsKey("entries"), emptyProblem.ToJsonString());
    }
}
