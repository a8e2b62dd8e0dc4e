using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Protocol.Wire;
using Federation.Grains.Jobs;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Federation messages found by adversarial testing (issue 13), replayed as a rostered peer sent
/// them over mutual TLS: each gets problem+json 400 naming the field (never a 500 or a garbled
/// 403/404), and a peer cannot grow the receiver's store with cancellations of unknown executions.
/// The tests share one FR and DE; the one that fills the per-peer bound starts nations of its own.
/// </summary>
[Collection(SharedTwoNationsCollection.Name)]
public sealed class HostileMessageTests(SharedTwoNations shared)
{
    private TwoNations Nations => shared.Nations;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<(HttpStatusCode Status, JsonObject Body, string? MediaType)> PostAsync(string path, string json) => PostAsync(Nations, path, json);

    private static async Task<(HttpStatusCode Status, JsonObject Body, string? MediaType)> PostAsync(TwoNations nations, string path, string json)
    {
        using var de = nations.De.Peers.CreateClient(nations.De.Roster.Find("FR")!);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") }.WithRequestId(Guid.NewGuid());
        using var response = await de.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject(), response.Content.Headers.ContentType?.MediaType);
    }

    private async Task ExpectInvalidAsync(string path, string json, string field)
    {
        var (status, problem, mediaType) = await PostAsync(path, json);
        Assert.True(status == HttpStatusCode.BadRequest, $"expected 400 from {path} for {json}, got {(int)status}: {problem.ToJsonString()}");
        Assert.Equal("application/problem+json", mediaType);
        Assert.True(problem["errors"]?.AsObject().ContainsKey(field) == true, $"expected the problem to name '{field}', got {problem.ToJsonString()}");
    }

    private static JsonObject Spec(string id) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "mallory@example.org" },
        ["purpose"] = new JsonObject { ["use"] = "GRU" },
        ["accelerators"] = new JsonObject { ["count"] = 1 },
        ["work"] = new JsonObject { ["acceleratorHours"] = 1, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 60,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
    };

    [Fact]
    public async Task Report_MessageNull_Returns400NamingMessage() =>
        await ExpectInvalidAsync("federation/v1/jobs/reports", """{"job":"FR/x","epoch":1,"sequence":1,"state":"running","message":null}""", "message");

    [Theory]
    [InlineData("federation/v1/jobs/leases", """{"epoch":1}""")]
    [InlineData("federation/v1/jobs/cancellations", """{"epoch":1,"reason":"x","fenced":false}""")]
    public async Task RenewalOrCancellation_WithoutJob_Returns400NamingJob(string path, string json) =>
        await ExpectInvalidAsync(path, json, "job");

    [Theory]
    [InlineData("federation/v1/jobs/leases", """{"job":"FR/x","epoch":"1"}""")]
    [InlineData("federation/v1/jobs/cancellations", """{"job":"DE/x","epoch":"1","reason":"x","fenced":false}""")]
    [InlineData("federation/v1/jobs/reports", """{"job":"FR/x","epoch":"1","sequence":1,"state":"running"}""")]
    public async Task Messages_EpochAsString_Returns400NamingEpoch(string path, string json) =>
        await ExpectInvalidAsync(path, json, "epoch");

    [Fact]
    public async Task Offer_NullOutput_Returns400NamingTheElementAndStoresNothing()
    {
        var spec = Spec("null-output");
        spec["outputs"] = new JsonArray((JsonNode?)null);
        var offer = new JsonObject { ["job"] = "DE/null-output", ["epoch"] = 1, ["leaseSeconds"] = 30, ["spec"] = spec };

        await ExpectInvalidAsync("federation/v1/jobs/offers", offer.ToJsonString(), "spec.outputs[0]");
        using var frApi = new HttpClient { BaseAddress = new Uri(Nations.Fr.ApiUrl + "/") };
        Assert.Equal(HttpStatusCode.NotFound, (await frApi.GetAsync("api/v1/executions/DE/null-output/1", Ct)).StatusCode);
    }

    [Fact]
    public async Task Report_ControlCharacterInMessage_Returns400NamingMessage() =>
        await ExpectInvalidAsync("federation/v1/jobs/reports", """{"job":"FR/x","epoch":1,"sequence":1,"state":"running","message":"\u0000\u001b[2J"}""", "message");

    [Fact]
    public async Task Cancellations_ForUnknownExecutions_AreBoundedPerPeer_AndAnsweredWithTheRule()
    {
        // Filling DE's bound at FR would change what the other tests' cancellations get: nations of its own.
        await using var nations = await TwoNations.StartAsync(new Dictionary<string, string?> { ["Federation:Peering:Workloads:0"] = "demo-train@1.0" });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= PreOfferFences.MaxPerOrigin; i++)
        {
            var (status, problem, _) = await PostAsync(nations, "federation/v1/jobs/cancellations", $$"""{"job":"DE/ghost-{{i}}","epoch":7,"reason":"probe","fenced":true}""");
            statuses.Add(status);
            if (status != HttpStatusCode.NoContent)
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, status);
                Assert.Contains("at most 1000 per nation", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(PreOfferFences.MaxPerOrigin, statuses.Count(s => s == HttpStatusCode.NoContent));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);

        // A remembered fence still refuses its late offer.
        var offer = new JsonObject { ["job"] = "DE/ghost-3", ["epoch"] = 7, ["leaseSeconds"] = 30, ["spec"] = Spec("ghost-3") };
        var (offerStatus, admission, _) = await PostAsync(nations, "federation/v1/jobs/offers", offer.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, offerStatus);
        Assert.False(admission["admitted"]!.GetValue<bool>(), admission.ToJsonString());
        Assert.Contains("fenced by its origin", admission["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
