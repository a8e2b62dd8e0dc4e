using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Protocol.Wire;
using Federation.Protocol;
using Federation.Protocol.Roster;
using Federation.Silo.Peering;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// The federation endpoint over real Kestrel and mutual TLS on loopback. The tests share one FR and
/// DE; the two that edit the roster file start nations of their own.
/// </summary>
[Collection(SharedTwoNationsCollection.Name)]
public sealed class FederationEndpointTests(SharedTwoNations shared)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hello_RosteredPeerWithPinnedClient_AnswersWithCallerCode()
    {
        var nations = shared.Nations;
        using var client = nations.Fr.Peers.CreateClient(nations.Fr.Roster.Find("DE")!);

        using var response = await client.SendAsync(Hello("federation/v1/hello"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("DE", body.RootElement.GetProperty("code").GetString());
        Assert.Equal("FR", body.RootElement.GetProperty("peer").GetString());
        Assert.Equal(["1", "2"], body.RootElement.GetProperty("protocolVersions").EnumerateArray().Select(v => v.GetString()!).ToArray());
    }

    [Fact]
    public async Task CatalogueDataset_ById_ServesPublicActiveDatasetsOnly()
    {
        var nations = shared.Nations;
        using var api = new HttpClient { BaseAddress = new Uri(nations.De.ApiUrl + "/") };
        foreach (var (id, visibility) in new[] { ("open-survey", "public"), ("closed-survey", "private"), ("old-survey", "public") })
        {
            var body = new JsonObject
            {
                ["id"] = id, ["title"] = "Survey", ["location"] = "s3://de/" + id, ["sizeBytes"] = 2048, ["sha256"] = new string('b', 64),
                ["format"] = "csv", ["licence"] = "CC-BY-4.0", ["steward"] = "DE office", ["visibility"] = visibility,
                ["residency"] = new JsonObject { ["kind"] = "homeOnly" },
                ["dataUse"] = new JsonObject { ["permission"] = "HMB", ["modifiers"] = new JsonArray("NCU") },
            };
            using var created = await api.PostAsJsonAsync("api/v1/datasets", body, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var withdrawn = await api.PostAsync("api/v1/datasets/old-survey:withdraw", new StringContent("""{"reason":"superseded"}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        using var client = nations.Fr.Peers.CreateClient(nations.Fr.Roster.Find("DE")!);

        using var open = await client.SendAsync(Hello("federation/v1/catalogue/datasets/open-survey"), Ct);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        using var terms = JsonDocument.Parse(await open.Content.ReadAsStringAsync(Ct));
        Assert.Equal("DE", terms.RootElement.GetProperty("nation").GetString());
        Assert.Equal(2048, terms.RootElement.GetProperty("sizeBytes").GetInt64());
        Assert.Equal("homeOnly", terms.RootElement.GetProperty("residency").GetProperty("kind").GetString());
        Assert.Equal("NCU", terms.RootElement.GetProperty("dataUse").GetProperty("modifiers")[0].GetString());
        Assert.False(terms.RootElement.TryGetProperty("location", out _), "the location never leaves the home nation");

        foreach (var hidden in new[] { "closed-survey", "old-survey", "no-such-survey" })
        {
            using var response = await client.SendAsync(Hello($"federation/v1/catalogue/datasets/{hidden}"), Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Silo_PeeringConfigured_ServesUserApiAndFederationOnSeparatePorts()
    {
        var nations = shared.Nations;
        using var user = new HttpClient { BaseAddress = new Uri(nations.De.ApiUrl) };

        using var health = await user.GetAsync("/health/live", Ct);
        using var federationOnUserPort = await user.GetAsync("/federation/v1/hello", Ct);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, federationOnUserPort.StatusCode);
        Assert.NotEqual(new Uri(nations.De.ApiUrl).Port, new Uri(nations.De.FederationUrl).Port);
    }

    [Fact]
    public async Task FederationPort_UserApiPath_Returns404()
    {
        var nations = shared.Nations;
        using var client = nations.Fr.Peers.CreateClient(nations.Fr.Roster.Find("DE")!);

        using var datasets = await client.SendAsync(Hello("api/v1/datasets"), Ct);
        using var health = await client.SendAsync(Hello("health/live"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, datasets.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, health.StatusCode);
    }

    [Fact]
    public async Task FederationPort_UnrosteredCertificate_RefusalIsLoggedWithThePeerAddressAndReason()
    {
        var nations = shared.Nations;
        var logged = new CapturedLog();
        nations.De.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().AddProvider(logged);
        using var stranger = NationCertificates.Create("SE");
        using var client = TwoNations.StrangerClient(new Uri(nations.De.FederationUrl), stranger);

        await AssertRefusedAsync(() => client.SendAsync(Hello("federation/v1/hello"), Ct));

        var line = await Eventually.WaitAsync(() => Task.FromResult(logged.Find("Refused a TLS handshake", SpkiPin.Compute(stranger))), l => l is not null, TimeSpan.FromSeconds(10),
            "DE to log the refused handshake of an unrostered certificate");
        Assert.Contains("127.0.0.1:", line, StringComparison.Ordinal);
        Assert.Contains($"SPKI pin {SpkiPin.Compute(stranger)}) is not on the roster", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FederationPort_NoClientCertificate_RefusalIsLoggedWithThePeerAddressAndReason()
    {
        var nations = shared.Nations;
        var logged = new CapturedLog();
        nations.De.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().AddProvider(logged);
        using var client = TwoNations.StrangerClient(new Uri(nations.De.FederationUrl), certificate: null);

        await AssertRefusedAsync(() => client.SendAsync(Hello("federation/v1/hello"), Ct));

        var line = await Eventually.WaitAsync(() => Task.FromResult(logged.Find("Refused a TLS handshake", "no client certificate")), l => l is not null, TimeSpan.FromSeconds(10),
            "DE to log the refused handshake of a client without a certificate");
        Assert.Contains("127.0.0.1:", line, StringComparison.Ordinal);
        Assert.Contains("did not complete (no client certificate", line, StringComparison.Ordinal);
    }

    private sealed class CapturedLog : Microsoft.Extensions.Logging.ILoggerProvider, Microsoft.Extensions.Logging.ILogger
    {
        private readonly List<string> _lines = [];

        /// <summary>The first line holding every one of <paramref name="texts"/> (the nations are shared: other tests log too).</summary>
        public string? Find(params string[] texts)
        {
            lock (_lines)
            {
                return _lines.FirstOrDefault(l => texts.All(t => l.Contains(t, StringComparison.Ordinal)));
            }
        }

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task PeerClient_ServerPinNotOnRoster_RefusesServer()
    {
        var nations = shared.Nations;
        var de = nations.Fr.Roster.Find("DE")!;
        var impostor = de with { Code = "DE", Pins = [SpkiPin.Compute(nations.Fr.Services.GetRequiredService<NationIdentity>().Certificate!)] };

        // FR's client checks the server against the roster's DE pins, not the entry it was given.
        using var client = nations.Fr.Peers.CreateClient(impostor with { FederationEndpoint = nations.Fr.FederationUrl });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(Hello("federation/v1/hello"), Ct));
    }

    [Fact]
    public async Task FederationPort_PinRemovedFromRosterWhileConnected_NextRequestIs403()
    {
        await using var nations = await TwoNations.StartAsync();
        using var client = nations.Fr.Peers.CreateClient(nations.Fr.Roster.Find("DE")!);
        using (var first = await client.SendAsync(Hello("federation/v1/hello"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var replacement = NationCertificates.Create("FR");
        var fr = nations.De.Roster.Find("FR")!;
        var de = nations.De.Roster.Find("DE")!;
        TwoNations.WriteRoster(nations.RosterPath, new RosterDocument([fr with { Pins = [SpkiPin.Compute(replacement)] }, de]));

        // Only a response counts: on a new connection the TLS handshake would fail instead, so a 403
        // shows the pin was checked again on the kept-alive connection.
        var refused = await Eventually.WaitAsync(
            async () => (await client.SendAsync(Hello("federation/v1/hello"), Ct)).StatusCode,
            status => status == HttpStatusCode.Forbidden,
            TimeSpan.FromSeconds(10),
            "DE refuses FR's request on the open connection once FR's pin left the roster");
        Assert.Equal(HttpStatusCode.Forbidden, refused);
    }

    [Fact]
    public async Task FederationPort_UnsupportedVersion_Returns400NamingSupportedVersions()
    {
        var nations = shared.Nations;
        using var client = nations.Fr.Peers.CreateClient(nations.Fr.Roster.Find("DE")!);

        using var response = await client.SendAsync(Hello("federation/v2/hello"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("this nation speaks federation protocol versions: 1, 2, all under /federation/v1/", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FederationPort_MissingOrInvalidRequestId_Returns400NamingHeader()
    {
        var nations = shared.Nations;
        using var client = nations.Fr.Peers.CreateClient(nations.Fr.Roster.Find("DE")!);
        using var invalid = new HttpRequestMessage(HttpMethod.Get, "federation/v1/hello");
        invalid.Headers.Add(FederationRequests.RequestIdHeader, "not-a-uuid");

        using var missing = await client.GetAsync("federation/v1/hello", Ct);
        using var malformed = await client.SendAsync(invalid, Ct);

        foreach (var response in new[] { missing, malformed })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(FederationRequests.RequestIdHeader, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Roster_InvalidEdit_KeepsLastGoodRoster()
    {
        await using var nations = await TwoNations.StartAsync();
        var before = nations.De.Roster.Entries;
        await File.WriteAllTextAsync(nations.RosterPath, "{\"nations\": [{\"code\": \"XX\"}]}", Ct);
        using var client = nations.Fr.Peers.CreateClient(nations.Fr.Roster.Find("DE")!);

        var problem = await Eventually.WaitAsync(
            () => Task.FromResult(nations.De.Roster.LastProblem),
            p => p is not null,
            TimeSpan.FromSeconds(10),
            "DE notices the invalid roster edit");
        using var response = await client.SendAsync(Hello("federation/v1/hello"), Ct);

        Assert.Contains("XX", problem, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before.Select(e => e.Code), nations.De.Roster.Entries.Select(e => e.Code));
    }

    private static HttpRequestMessage Hello(string path) => new HttpRequestMessage(HttpMethod.Get, path).WithRequestId(Guid.NewGuid());

    private static async Task AssertRefusedAsync(Func<Task<HttpResponseMessage>> send)
    {
        // Under TLS 1.3 a refused client certificate often surfaces on the first read, not in the handshake.
        try
        {
            using var response = await send();
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        catch (HttpRequestException)
        {
            // Refused at the TLS level.
        }
    }
}
