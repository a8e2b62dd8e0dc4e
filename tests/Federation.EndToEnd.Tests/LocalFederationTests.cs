using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Federation.Fedctl.Local;
using Federation.Protocol;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Three nations started by the local launcher as real processes, talking mutual TLS over
/// loopback: adverts, federated search, a stopped and restarted nation, a stranger refused.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class LocalFederationTests : IAsyncLifetime
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);

    // Three intervals, plus what a loaded 2-core machine adds to one HTTP round and one tick.
    private static readonly TimeSpan s_threeIntervals = (s_interval * 3) + TimeSpan.FromSeconds(2);

    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private string _directory = null!;
    private LocalFederation _launcher = null!;
    private LocalFederationState _state = null!;

    public async ValueTask InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("local-federation-").FullName;
        _launcher = new LocalFederation(_directory, _output, _error);
        var silo = Path.Combine(AppContext.BaseDirectory, "Federation.Silo.dll");
        _state = await _launcher.UpAsync(["FR", "DE", "SE"], silo, postgres: null, s_interval, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _launcher.DownAsync();
        _output.Dispose();
        _error.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private LocalNationState Nation(string code) => _state.Nations.Single(n => n.Code == code);

    private static HttpClient Client(LocalNationState nation) => new() { BaseAddress = new Uri(nation.ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(10) };

    private static async Task<JsonObject?> PeerAsync(HttpClient client, string code)
    {
        var peers = await client.GetFromJsonAsync<JsonArray>("api/v1/peers", TestContext.Current.CancellationToken);
        return peers!.Select(p => p!.AsObject()).FirstOrDefault(p => p["nation"]!.GetValue<string>() == code);
    }

    [Fact]
    public async Task ThreeNations_SeeAdverts_SearchAcrossBorders_SurviveAStoppedNation_RefuseStrangers()
    {
        var ct = TestContext.Current.CancellationToken;
        using var fr = Client(Nation("FR"));
        using var de = Client(Nation("DE"));
        using var se = Client(Nation("SE"));
        var log = $"{Environment.NewLine}launcher: {_output}{_error}";

        // 1. DE gets a node that is up: FR sees it in DE's advert within three intervals.
        var node = new JsonObject { ["id"] = "de-l40s", ["site"] = "berlin", ["accelerator"] = "l40s", ["count"] = 4 };
        Assert.Equal(HttpStatusCode.Created, (await de.PostAsJsonAsync("api/v1/nodes", node, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await de.PostAsJsonAsync("api/v1/nodes/de-l40s/heartbeat", new JsonObject(), ct)).StatusCode);
        var clock = Stopwatch.StartNew();
        await Eventually.WaitAsync(
            () => PeerAsync(fr, "DE"),
            p => p?["lastAdvert"]?["accelerators"]?.AsArray().Any(a => a!["slug"]!.GetValue<string>() == "l40s" && a["free"]!.GetValue<int>() == 4 && a["total"]!.GetValue<int>() == 4) == true,
            s_threeIntervals,
            "FR to receive DE's advert with l40s free 4 of 4" + log);
        TestContext.Current.TestOutputHelper?.WriteLine($"DE's new capacity seen by FR after {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var (observer, subject) in new[] { (de, "FR"), (de, "SE"), (se, "FR"), (se, "DE"), (fr, "SE") })
        {
            var peer = await Eventually.WaitAsync(() => PeerAsync(observer, subject), p => p?["health"]?.GetValue<string>() == "reachable", s_threeIntervals, $"{subject} reachable from every nation" + log);
            Assert.Equal(subject, peer!["lastAdvert"]!["nation"]!.GetValue<string>());
        }

        // 2. A federated search from FR finds SE's public dataset, never its private one.
        foreach (var (id, visibility) in new[] { ("genome-public", "public"), ("genome-private", "private") })
        {
            var dataset = new JsonObject
            {
                ["id"] = id, ["title"] = "Swedish genome panel " + visibility, ["location"] = "s3://se/" + id, ["sizeBytes"] = 10,
                ["sha256"] = new string('a', 64), ["format"] = "vcf", ["licence"] = "CC-BY-4.0", ["steward"] = "SE office",
                ["visibility"] = visibility, ["dataUse"] = new JsonObject { ["permission"] = "GRU" },
            };
            Assert.Equal(HttpStatusCode.Created, (await se.PostAsJsonAsync("api/v1/datasets", dataset, ct)).StatusCode);
        }

        var found = await fr.GetFromJsonAsync<JsonObject>("api/v1/federated/datasets?text=genome", ct);
        var hits = found!["items"]!.AsArray().Select(d => $"{d!["nation"]}/{d["id"]}").ToList();
        Assert.Contains("SE/genome-public", hits);
        Assert.DoesNotContain("SE/genome-private", hits);
        Assert.False(found["partial"]!.GetValue<bool>(), found.ToJsonString());
        var models = await fr.GetFromJsonAsync<JsonObject>("api/v1/federated/models?text=speech", ct);
        Assert.Equal(["DE", "FR", "SE"], models!["items"]!.AsArray().Select(m => m!["nation"]!.GetValue<string>()).Order());

        // 3. DE stops: FR marks it unreachable within three intervals and its searches name DE missing.
        var frPid = Nation("FR").Pid;
        await _launcher.StopNationAsync("DE");
        clock.Restart();
        await Eventually.WaitAsync(() => PeerAsync(fr, "DE"), p => p?["health"]?.GetValue<string>() == "unreachable", s_threeIntervals + s_interval, "FR to mark the stopped DE unreachable" + log);
        TestContext.Current.TestOutputHelper?.WriteLine($"DE unreachable at FR {clock.Elapsed.TotalSeconds:0.0} s after it stopped");
        var partial = await fr.GetFromJsonAsync<JsonObject>("api/v1/federated/datasets?text=genome", ct);
        Assert.True(partial!["partial"]!.GetValue<bool>(), partial.ToJsonString());
        Assert.Equal(["DE"], partial["missing"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Contains("SE/genome-public", partial["items"]!.AsArray().Select(d => $"{d!["nation"]}/{d["id"]}"));

        // 4. DE comes back: seen again, and nobody else was restarted.
        await _launcher.StartNationAsync("DE", ct);
        await Eventually.WaitAsync(() => PeerAsync(fr, "DE"), p => p?["health"]?.GetValue<string>() == "reachable", s_threeIntervals, "FR to see the restarted DE again" + log);
        await Eventually.WaitAsync(() => PeerAsync(de, "FR"), p => p?["health"]?.GetValue<string>() == "reachable", s_threeIntervals, "the restarted DE to hear from FR again" + log);
        _state = LocalFederationState.Read(_launcher.StatePath)!;
        Assert.Equal(frPid, Nation("FR").Pid);
        var whole = await fr.GetFromJsonAsync<JsonObject>("api/v1/federated/datasets?text=genome", ct);
        Assert.False(whole!["partial"]!.GetValue<bool>(), whole.ToJsonString());

        // 5. A process with a self-made certificate that is not on the roster is refused by every nation.
        using var stranger = NationCertificates.Create("NO");
        var roster = Federation.Protocol.Roster.RosterDocument.Parse(await File.ReadAllTextAsync(_state.Roster, ct));
        foreach (var nation in _state.Nations)
        {
            var pins = roster.Nations.Single(n => n.Code == nation.Code).Pins;
            using var handler = new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    ClientCertificates = [stranger],
                    LocalCertificateSelectionCallback = (_, _, _, _, _) => stranger,
                    RemoteCertificateValidationCallback = (_, server, _, _) => server is not null && pins.Contains(SpkiPin.Compute(new X509Certificate2(server))),
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                },
            };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
            using var request = new HttpRequestMessage(HttpMethod.Get, nation.FederationUrl + "/hello");
            request.Headers.Add("Federation-Request-Id", Guid.NewGuid().ToString());
            try
            {
                using var response = await client.SendAsync(request, ct);
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            }
            catch (HttpRequestException)
            {
                // Refused during or right after the TLS handshake: also a refusal.
            }
        }

        // 6. FR's pin leaves the roster while the nations are connected: DE and SE refuse FR from
        // then on (kept-alive connections included), so FR falls silent for them.
        var withoutFr = roster with { Nations = [.. roster.Nations.Select(n => n.Code == "FR" ? n with { Pins = [SpkiPin.Compute(stranger)] } : n)] };
        await File.WriteAllTextAsync(_state.Roster, withoutFr.ToJson(), ct);
        foreach (var observer in new[] { de, se })
        {
            await Eventually.WaitAsync(() => PeerAsync(observer, "FR"), p => p?["health"]?.GetValue<string>() == "unreachable", s_threeIntervals + s_interval, "FR, whose pin left the roster, to fall silent for DE and SE" + log);
        }
    }
}
