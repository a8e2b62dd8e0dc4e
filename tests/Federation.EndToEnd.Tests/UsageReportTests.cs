using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Json;
using Federation.Protocol;
using Federation.Protocol.Usage;
using Federation.Protocol.Wire;
using Federation.Silo.Peering;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Signed usage reports between FR and DE over the federation API (mutual TLS): DE runs work for FR and
/// reports it, FR's shares view then counts it; forged reports are refused naming the rule and logged.
/// </summary>
[Collection(SharedTwoNationsCollection.Name)]
public sealed class UsageReportTests(SharedTwoNations shared)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Offer(string job) => new()
    {
        ["job"] = $"FR/{job}",
        ["epoch"] = 1,
        ["leaseSeconds"] = 30,
        ["spec"] = new JsonObject
        {
            ["id"] = job,
            ["owner"] = new JsonObject { ["user"] = "alice@example.org" },
            ["inputs"] = new JsonArray(),
            ["purpose"] = new JsonObject { ["use"] = "HMB" },
            ["accelerators"] = new JsonObject { ["count"] = 1 },
            ["work"] = new JsonObject { ["acceleratorHours"] = 1, ["referenceAccelerator"] = "a100-80gb-sxm" },
            ["walltimeMinutes"] = 60,
            ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
        },
    };

    private static async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(HttpClient client, string path, JsonNode body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }.WithRequestId(Guid.NewGuid());
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    [Fact]
    public async Task De_RunsWorkForFr_FrsSharesViewCountsDesSignedReportOfIt()
    {
        var nations = shared.Nations;
        using var deApi = new HttpClient { BaseAddress = new Uri(nations.De.ApiUrl + "/") };
        using var frApi = new HttpClient { BaseAddress = new Uri(nations.Fr.ApiUrl + "/") };
        Assert.Equal(HttpStatusCode.Created, (await deApi.PostAsJsonAsync("api/v1/nodes", new JsonObject { ["id"] = "usage-de-gpu", ["site"] = "lab", ["accelerator"] = "a100-80gb-sxm", ["count"] = 2, ["leaseSeconds"] = 3600 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await deApi.PostAsJsonAsync("api/v1/nodes/usage-de-gpu/heartbeat", new JsonObject(), Ct)).StatusCode);

        // FR learns DE's accelerators from its advert: the bound on what DE may report.
        var peer = nations.Fr.Services.GetRequiredService<IGrainFactory>().GetGrain<IPeerGrain>(IPeerGrain.KeyOf(TypedId.Parse<NationCode>("DE")));
        await Eventually.WaitAsync(peer.GetAsync, s => s.LastAdvert?.Accelerators.Sum(a => a.Total) >= 2, TimeSpan.FromSeconds(30), "FR holds DE's advert with its 2 accelerators");

        using var fr = nations.Fr.Peers.CreateClient(nations.Fr.Roster.Find("DE")!);
        var (status, admission) = await PostAsync(fr, "federation/v1/jobs/offers", Offer("usage-run-1"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(admission["admitted"]!.GetValue<bool>(), admission.ToJsonString());

        // DE reports every second what it ran per origin; FR counts DE's report of FR's usage in FR's usage.
        var view = await Eventually.WaitAsync(
            async () => (await frApi.GetFromJsonAsync<JsonObject>("api/v1/shares", Ct))!,
            v => Reported(v, "DE", "FR") > 0,
            TimeSpan.FromSeconds(30), "FR's shares view lists DE's signed report of FR's usage");
        var reported = Reported(view, "DE", "FR");
        var frUsage = (view["nations"] as JsonArray)!.Single(n => n!["name"]!.GetValue<string>() == "FR")!["usage"]!.GetValue<double>();
        Assert.True(frUsage >= reported, $"FR's usage {frUsage} includes what DE reported ({reported})");
        Assert.True(reported <= 1.0, $"DE reported {reported} acc-h of a run of 1 acc-h estimated over 60 minutes, only the part run so far");
    }

    [Fact]
    public async Task ForgedReports_AlteredWrongKeyOrUnknownNation_AreRefusedNamingTheRule_AndAudited()
    {
        var nations = shared.Nations;
        using var frApi = new HttpClient { BaseAddress = new Uri(nations.Fr.ApiUrl + "/") };
        using var de = nations.De.Peers.CreateClient(nations.De.Roster.Find("FR")!);
        var deKey = nations.De.Services.GetRequiredService<NationIdentity>().Certificate!;
        var now = DateTimeOffset.UtcNow;
        UsageReport Report(string nation, long sequence) => new(nation, sequence, now.AddMinutes(-2), now.AddMinutes(-1), [new UsageReportLine("FR", "", 0)]);

        // One byte of a genuine report altered after DE signed it.
        var genuine = JsonSerializer.SerializeToNode(UsageReportSignature.Sign(Report("DE", 9_001), deKey), FederationJson.Options)!;
        genuine["report"]!["lines"]![0]!["acceleratorHours"] = 0.001;
        var (altered, alteredProblem) = await PostAsync(de, UsageReportRoutes.Reports, genuine);

        // DE's name, another key.
        using var stranger = NationCertificates.Create("DE");
        var (wrongKey, wrongKeyProblem) = await PostAsync(de, UsageReportRoutes.Reports, JsonSerializer.SerializeToNode(UsageReportSignature.Sign(Report("DE", 9_002), stranger), FederationJson.Options)!);

        // A nation that is not on the roster.
        using var se = NationCertificates.Create("SE");
        var (unknown, unknownProblem) = await PostAsync(de, UsageReportRoutes.Reports, JsonSerializer.SerializeToNode(UsageReportSignature.Sign(Report("SE", 9_003), se), FederationJson.Options)!);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "usage-report-signature"), (altered, alteredProblem["rule"]?.GetValue<string>()));
        Assert.Contains("altered after DE signed it", alteredProblem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "usage-report-signature"), (wrongKey, wrongKeyProblem["rule"]?.GetValue<string>()));
        Assert.Contains("signed by a key that is not DE's on the roster", wrongKeyProblem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Forbidden, "usage-report-sender"), (unknown, unknownProblem["rule"]?.GetValue<string>()));
        Assert.Contains("SE is not on the federation roster of FR", unknownProblem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // Each refusal is in FR's transparency log; none of them reached FR's view.
        var refusals = (await frApi.GetFromJsonAsync<JsonObject>("api/v1/audit/entries?peer=DE&kind=refusal&limit=1000", Ct))!["items"]!.AsArray().OfType<JsonObject>()
            .Select(e => (Rule: e["rule"]?.GetValue<string>(), Reason: e["detail"]?["reason"]?.GetValue<string>() ?? "")).ToList();
        Assert.Contains(refusals, r => r.Rule == "usage-report-signature" && r.Reason.Contains("usage report 9001 of DE", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.Rule == "usage-report-signature" && r.Reason.Contains("usage report 9002 of DE", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.Rule == "usage-report-sender" && r.Reason.Contains("usage report 9003 of SE", StringComparison.Ordinal));
        var view = (await frApi.GetFromJsonAsync<JsonObject>("api/v1/shares", Ct))!;
        Assert.DoesNotContain((view["reported"] as JsonArray ?? []).OfType<JsonObject>(), r => r["reporter"]!.GetValue<string>() == "SE");
    }

    private static double Reported(JsonObject view, string reporter, string nation) =>
        (view["reported"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(r => r["reporter"]!.GetValue<string>() == reporter && r["nation"]!.GetValue<string>() == nation)
            .Sum(r => r["usage"]!.GetValue<double>());
}
