using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Protocol.Wire;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Json;
using Federation.Protocol.Terms;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Issue 13's trust defects on a launched federation over mutual TLS, each message sent with a
/// rostered nation's own certificate: adverts out of bounds (a future time, a huge epoch, a claim of
/// 0 gCO2e/kWh) and offers whose inputs their homes' signed terms do not allow.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class TrustTests(TrustFederation federation) : IClassFixture<TrustFederation>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string from, string to, string path, JsonNode body)
    {
        using var client = federation.FederationClient(from, to);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }.WithRequestId(Guid.NewGuid());
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    private async Task<JsonObject> GenuineAdvertAsync(string observer, string subject) =>
        (JsonObject)((await federation.PeerAsync(observer, subject))?["lastAdvert"]?.DeepClone()
            ?? throw new InvalidOperationException($"{observer} has no advert of {subject}{federation.Diagnostics()}"));

    private async Task<JsonObject> PlanAsync(string nation, JsonObject job)
    {
        using var response = await federation.Client(nation).PostAsJsonAsync("api/v1/routes:plan", job, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"plan on {nation}: HTTP {(int)response.StatusCode} {text}{federation.Diagnostics()}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static JsonObject Candidate(JsonObject decision, string nation) =>
        decision["candidates"]!.AsArray().OfType<JsonObject>().Single(c => c["nation"]!.GetValue<string>() == nation);

    private static JsonObject Job(string id, string input, int count = 1, double minMemoryGb = 80, double hours = 10) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "ana@example.org", ["consortium"] = "eu-research" },
        ["inputs"] = new JsonArray(input),
        ["purpose"] = new JsonObject { ["use"] = "HMB" },
        ["accelerators"] = new JsonObject { ["count"] = count, ["minMemoryGb"] = minMemoryGb },
        ["work"] = new JsonObject { ["acceleratorHours"] = hours, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 1440,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
    };

    private static JsonObject Offer(string job, JsonObject spec, params JsonNode[] inputTerms)
    {
        var offer = new JsonObject { ["job"] = job, ["epoch"] = 1, ["leaseSeconds"] = 30, ["spec"] = spec };
        if (inputTerms.Length > 0)
        {
            offer["inputTerms"] = new JsonArray([.. inputTerms.Select(t => t.DeepClone())]);
        }

        return offer;
    }

    /// <summary>The signed terms FR's federation API publishes with a public dataset, read with SE's certificate.</summary>
    private async Task<JsonObject> FrTermsAsync(string id)
    {
        using var client = federation.FederationClient("SE", "FR");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"federation/v1/catalogue/datasets/{id}").WithRequestId(Guid.NewGuid());
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var dataset = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        return (JsonObject)(dataset["terms"]?.DeepClone() ?? throw new InvalidOperationException($"FR published {id} without signed terms: {dataset.ToJsonString()}"));
    }

    [Fact]
    public async Task Advert_FutureDated_RefusedNamingTheWindow_GenuineAdvertsKeepArriving()
    {
        var before = (await federation.PeerAsync("FR", "DE"))!;
        var forged = await GenuineAdvertAsync("FR", "DE");
        forged["issuedAt"] = "2099-01-01T00:00:00+00:00";
        forged["sequence"] = long.MaxValue;
        forged["senderEpoch"] = long.MaxValue;

        var (status, problem) = await PostAsync("DE", "FR", "federation/v1/adverts", forged);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var rule = problem["errors"]?["issuedAt"]?[0]?.GetValue<string>() ?? "";
        Assert.Contains("must be within 120 s of the receiver's clock", rule, StringComparison.Ordinal);
        Assert.Contains("2099-01-01T00:00:00Z", rule, StringComparison.Ordinal);

        // DE's own adverts keep arriving: FR records newer ones from DE's real epoch, and DE stays reachable.
        var refusedAt = DateTimeOffset.UtcNow;
        var after = await Eventually.WaitAsync(
            () => federation.PeerAsync("FR", "DE"),
            p => p?["lastAdvertAt"] is { } at && Time(at) > refusedAt && p["health"]!.GetValue<string>() == "reachable",
            TrustFederation.AdvertInterval * 4,
            $"FR to accept a genuine advert from DE after refusing the future-dated one{federation.Diagnostics()}",
            TimeSpan.FromMilliseconds(200));
        Assert.NotEqual(long.MaxValue, after!["lastAdvert"]!["senderEpoch"]!.GetValue<long>());
        Assert.True(Time(after["lastAdvert"]!["issuedAt"]) < refusedAt.AddMinutes(2), after.ToJsonString());
        Assert.True(after["rejectedAdverts"]!.GetValue<int>() > before["rejectedAdverts"]!.GetValue<int>(), after.ToJsonString());
    }

    [Fact]
    public async Task Advert_HugeEpochAndSequenceWithinTheWindow_GenuineAdvertsTakeOverWithinAnInterval()
    {
        var genuine = await GenuineAdvertAsync("SE", "DE");
        var forged = (JsonObject)genuine.DeepClone();
        forged["issuedAt"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        forged["sequence"] = long.MaxValue;
        forged["senderEpoch"] = long.MaxValue;

        var (status, body) = await PostAsync("DE", "SE", "federation/v1/adverts", forged);
        Assert.True(status == HttpStatusCode.NoContent, body.ToJsonString());

        var health = new List<string>();
        await Eventually.WaitAsync(
            async () =>
            {
                var peer = await federation.PeerAsync("SE", "DE");
                health.Add(peer!["health"]!.GetValue<string>());
                return peer;
            },
            p => p!["lastAdvert"]!["senderEpoch"]!.GetValue<long>() == genuine["senderEpoch"]!.GetValue<long>(),
            TrustFederation.AdvertInterval * 3,
            $"SE to take DE's genuine adverts again (sender epoch {genuine["senderEpoch"]}) within an interval of the forged one{federation.Diagnostics()}",
            TimeSpan.FromMilliseconds(100));
        Assert.All(health, h => Assert.Equal("reachable", h));
    }

    [Fact]
    public async Task Advert_ClaimingZeroIntensity_FlaggedInPeersAndRouterChoiceUnchanged()
    {
        var job = Job("carbon-check", TrustFederation.Panel);
        var honest = await PlanAsync("FR", job);
        Assert.Equal("SE", honest["chosen"]?.GetValue<string>());
        Assert.Empty(Candidate(honest, "DE")["notes"]?.AsArray() ?? []);

        // DE claims a carbon-free grid (a new sender epoch, so the lie holds until DE's genuine adverts take over again).
        JsonObject? lying = null;
        JsonObject? flagged = null;
        for (var attempt = 0; attempt < 10 && lying is null; attempt++)
        {
            var forged = await GenuineAdvertAsync("FR", "DE");
            forged["gridIntensityGco2PerKwh"] = 0;
            forged["senderEpoch"] = forged["senderEpoch"]!.GetValue<long>() + 1;
            forged["sequence"] = 1;
            forged["issuedAt"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            var (status, body) = await PostAsync("DE", "FR", "federation/v1/adverts", forged);
            Assert.True(status == HttpStatusCode.NoContent, body.ToJsonString());

            var peer = (await federation.PeerAsync("FR", "DE"))!;
            var decision = await PlanAsync("FR", job);
            if (peer["lastAdvert"]!["gridIntensityGco2PerKwh"]!.GetValue<double>() == 0 && Candidate(decision, "DE")["notes"]?.AsArray().Count > 0)
            {
                (lying, flagged) = (decision, peer);
            }
        }

        Assert.True(lying is not null, $"FR never planned with DE's advert of 0 gCO2e/kWh in 10 attempts{federation.Diagnostics()}");
        var flag = Assert.Single(flagged!["flags"]!.AsArray())!.GetValue<string>();
        Assert.StartsWith("gridIntensityGco2PerKwh: DE advertises 0 gCO2e/kWh, under 50% of the reference 371.4 gCO2e/kWh for zone DE", flag, StringComparison.Ordinal);
        Assert.Equal("SE", lying["chosen"]?.GetValue<string>());
        var de = Candidate(lying, "DE");
        Assert.Equal(flag, Assert.Single(de["notes"]!.AsArray())!.GetValue<string>());
        Assert.Equal(371.4, de["score"]!["gridIntensityGco2PerKwh"]!.GetValue<double>());
        Assert.Equal(Candidate(honest, "DE")["score"]!.ToJsonString(), de["score"]!.ToJsonString());
    }

    [Fact]
    public async Task Offer_AnotherNationsHomeOnlyOrUnknownDataset_RefusedAtAdmissionWithTheReason()
    {
        var terms = await FrTermsAsync("health-cohort");

        // SE offers DE a job on FR's home-only cohort, with FR's genuine signed terms: they forbid DE.
        var (status, admission) = await PostAsync("SE", "DE", "federation/v1/jobs/offers", Offer("SE/cohort-elsewhere", Job("cohort-elsewhere", TrustFederation.HealthCohort), terms));
        Assert.True(status == HttpStatusCode.OK, $"{status}: {admission.ToJsonString()}");
        Assert.False(admission["admitted"]!.GetValue<bool>(), admission.ToJsonString());
        Assert.Equal("dataset FR/health-cohort may be processed only in FR, not in DE", admission["reason"]!.GetValue<string>());

        // Without terms, or naming a dataset FR does not publish: refused, naming it.
        var (_, bare) = await PostAsync("SE", "DE", "federation/v1/jobs/offers", Offer("SE/cohort-bare", Job("cohort-bare", TrustFederation.HealthCohort)));
        Assert.False(bare["admitted"]!.GetValue<bool>());
        Assert.StartsWith("dataset FR/health-cohort: no terms signed by FR came with the offer", bare["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        var (_, unknown) = await PostAsync("SE", "DE", "federation/v1/jobs/offers", Offer("SE/no-such", Job("no-such", "FR/no-such-dataset")));
        Assert.False(unknown["admitted"]!.GetValue<bool>());
        Assert.StartsWith("dataset FR/no-such-dataset: no terms signed by FR", unknown["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        // The refusal is DE's audited admission decision: the execution is recorded as failed, nothing allocated.
        var execution = await federation.Client("DE").GetFromJsonAsync<JsonObject>("api/v1/executions/SE/cohort-elsewhere/1", Ct);
        Assert.Equal("failed", execution!["state"]!.GetValue<string>());
        Assert.Contains("only in FR", execution["stateReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offer_TamperedOrForgedTerms_RefusedAtAdmission()
    {
        var genuine = await FrTermsAsync("health-cohort");

        // The same signature over terms widened to "anywhere".
        var widened = (JsonObject)genuine.DeepClone();
        widened["terms"]!["residency"] = new JsonObject { ["kind"] = "anywhere", ["nations"] = new JsonArray() };
        var (_, tampered) = await PostAsync("SE", "DE", "federation/v1/jobs/offers", Offer("SE/tampered", Job("tampered", TrustFederation.HealthCohort), widened));
        Assert.False(tampered["admitted"]!.GetValue<bool>());
        Assert.Equal("dataset FR/health-cohort: the signature on the terms of FR/health-cohort does not match them (altered after FR signed them)", tampered["reason"]!.GetValue<string>());

        // Terms for FR's dataset signed by SE's own (rostered) key.
        var statement = JsonSerializer.Deserialize<SignedDatasetTerms>(genuine.ToJsonString(), FederationJson.Options)!.Terms with
        {
            Residency = new Residency(ResidencyKind.Anywhere, []),
        };
        var forged = JsonSerializer.SerializeToNode(DatasetTermsSignature.Sign(statement, federation.Certificate("SE")), FederationJson.Options)!;
        var (_, impostor) = await PostAsync("SE", "DE", "federation/v1/jobs/offers", Offer("SE/impostor", Job("impostor", TrustFederation.HealthCohort), forged));
        Assert.False(impostor["admitted"]!.GetValue<bool>());
        Assert.StartsWith("dataset FR/health-cohort: the terms of FR/health-cohort are signed by a key that is not FR's on the roster", impostor["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        // Control: FR's genuine terms of its open dataset pass the input check (DE then refuses only for the 99 accelerators).
        var open = await FrTermsAsync("open-data");
        var (_, control) = await PostAsync("SE", "DE", "federation/v1/jobs/offers", Offer("SE/too-big", Job("too-big", TrustFederation.OpenData, count: 99), open));
        Assert.False(control["admitted"]!.GetValue<bool>());
        Assert.DoesNotContain("open-data", control["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("fits 99", control["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_OnAnotherNationsMovableData_OriginAttachesSignedTerms_RunsWhereItIsCleanest()
    {
        // Submitted in DE on FR's open data; FR's cards are too small, SE's grid is the cleanest: DE offers SE, with FR's terms.
        var job = Job("open-in-se", TrustFederation.OpenData, hours: 0.05);
        using var submitted = await federation.Client("DE").PostAsJsonAsync("api/v1/jobs", job, Ct);
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync(Ct));

        await Eventually.WaitAsync(
            () => federation.Client("DE").GetFromJsonAsync<JsonObject>("api/v1/jobs/open-in-se", Ct),
            j => j?["state"]?.GetValue<string>() is "succeeded" or "failed",
            TimeSpan.FromSeconds(60),
            $"DE/open-in-se to finish{federation.Diagnostics()}",
            TimeSpan.FromMilliseconds(250));
        var execution = await federation.Client("SE").GetFromJsonAsync<JsonObject>("api/v1/executions/DE/open-in-se/1", Ct);
        Assert.True(execution!["admission"]!["admitted"]!.GetValue<bool>(), execution.ToJsonString());
        Assert.Equal("succeeded", execution["state"]!.GetValue<string>());
    }
}
