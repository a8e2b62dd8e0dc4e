using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Protocol.Wire;
using Federation.Contracts.Ids;
using Federation.Contracts.Json;
using Federation.Contracts.Peers;

namespace Federation.EndToEnd.Tests;

/// <summary>Adverts between two nations over mutual TLS: accepted, and hostile or broken ones refused with the last good advert kept.</summary>
public sealed class AdvertTests : IAsyncLifetime
{
    private TwoNations _nations = null!;

    public async ValueTask InitializeAsync() => _nations = await TwoNations.StartAsync();

    public async ValueTask DisposeAsync() => await _nations.DisposeAsync();

    private static CapabilityAdvert Advert(string nation, long sequence, int free) => new()
    {
        Nation = TypedId.Parse<NationCode>(nation),
        Name = nation,
        Accelerators = [new AcceleratorCapacity(TypedId.Parse<AcceleratorSlug>("h100-sxm"), free, 8)],
        Pue = 1.2,
        GridZone = nation,
        GridIntensityGco2PerKwh = 55.2,
        Workloads = [new WorkloadRef("llm-finetune", "1.0")],
        SoftwareVersion = "test",
        ProtocolVersions = [1],
        IssuedAt = DateTimeOffset.UtcNow,
        Sequence = sequence,

        // Above FR's own run, so that FR's genuine adverts do not replace these within the test (they would after an interval).
        SenderEpoch = long.MaxValue,
    };

    private async Task<HttpResponseMessage> PostFromFrAsync(HttpContent content)
    {
        using var client = _nations.Fr.Peers.CreateClient(_nations.Fr.Roster.Find("DE")!);
        using var request = new HttpRequestMessage(HttpMethod.Post, "federation/v1/adverts") { Content = content }.WithRequestId(Guid.NewGuid());
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<JsonNode?> DeViewOfFrAsync()
    {
        using var api = new HttpClient { BaseAddress = new Uri(_nations.De.ApiUrl) };
        var peers = await api.GetFromJsonAsync<JsonArray>("api/v1/peers", TestContext.Current.CancellationToken);
        return peers!.Single(p => p!["nation"]!.GetValue<string>() == "FR");
    }

    [Fact]
    public async Task Advert_ValidFromItsOwnNation_IsKept_HostileOrBrokenOnesRefused_LastGoodStays()
    {
        var good = await PostFromFrAsync(JsonContent.Create(Advert("FR", long.MaxValue - 10, free: 5), options: FederationJson.Options));
        Assert.Equal(HttpStatusCode.NoContent, good.StatusCode);
        var accepted = await DeViewOfFrAsync();
        Assert.Equal(5, accepted!["lastAdvert"]!["accelerators"]![0]!["free"]!.GetValue<int>());

        // A peer that lies about its code: FR's certificate, DE in the body.
        var liar = await PostFromFrAsync(JsonContent.Create(Advert("DE", long.MaxValue - 5, free: 1), options: FederationJson.Options));
        Assert.Equal(HttpStatusCode.Forbidden, liar.StatusCode);
        Assert.Contains("FR", await liar.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        // Malformed JSON, a broken rule, an oversized body: 400, ignored.
        var malformed = await PostFromFrAsync(new StringContent("{\"nation\": \"FR\", \"pue\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var invalid = await PostFromFrAsync(JsonContent.Create(Advert("FR", long.MaxValue - 4, free: 1) with { Pue = 0 }, options: FederationJson.Options));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("pue", await invalid.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var huge = Advert("FR", long.MaxValue - 3, free: 1) with { Name = new string('x', 70_000) };
        var oversized = await PostFromFrAsync(JsonContent.Create(huge, options: FederationJson.Options));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);

        // The strict reader of every other body: an unknown member, a number sent as a string, a repeated member, not JSON.
        var unknown = JsonSerializer.SerializeToNode(Advert("FR", long.MaxValue - 2, free: 1), FederationJson.Options)!.AsObject();
        unknown["freeBeer"] = 1;
        await AssertRefusedAsync(new StringContent(unknown.ToJsonString(), Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest, "freeBeer");
        var quoted = JsonSerializer.SerializeToNode(Advert("FR", long.MaxValue - 2, free: 1), FederationJson.Options)!.AsObject();
        quoted["pue"] = "1.2";
        await AssertRefusedAsync(new StringContent(quoted.ToJsonString(), Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest, "pue");
        var twice = JsonSerializer.Serialize(Advert("FR", long.MaxValue - 2, free: 1), FederationJson.Options);
        twice = "{\"pue\": 1.1, " + twice[1..];
        await AssertRefusedAsync(new StringContent(twice, Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest, "pue");
        await AssertRefusedAsync(new StringContent("nation=FR", Encoding.UTF8, "text/plain"), HttpStatusCode.UnsupportedMediaType, "415");

        var after = await DeViewOfFrAsync();
        Assert.Equal(5, after!["lastAdvert"]!["accelerators"]![0]!["free"]!.GetValue<int>());
        Assert.True(after["rejectedAdverts"]!.GetValue<int>() >= 7, after.ToJsonString()); // the 415 is answered before the endpoint, uncounted
    }

    private async Task AssertRefusedAsync(HttpContent content, HttpStatusCode status, string named)
    {
        using var response = await PostFromFrAsync(content);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.Contains("application/problem+json", response.Content.Headers.ContentType?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Contains(named, body, StringComparison.Ordinal);
    }
}
