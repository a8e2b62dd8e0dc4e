using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Fedctl;
using Federation.Protocol.Wire;
using Federation.Silo.Transparency;
using Federation.Testing;
using Federation.Transparency.Peers;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Two in-process nations over real mutual TLS: FR admits an execution DE offered and logs it; DE
/// fetches FR's signed head over the federation API and checks it against FR's roster pin (its peers
/// view says consistent), then proves the admission's inclusion in FR's log with FR's key, over the
/// API and with fedctl.
/// </summary>
public sealed class PeerTransparencyTests
{
    private static readonly Dictionary<string, string?> s_settings = new()
    {
        ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
        ["Federation:Transparency:HeadInterval"] = "01:00:00",
        ["Federation:Transparency:PeerCheckInterval"] = "01:00:00",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Offer(string id) => new()
    {
        ["job"] = $"DE/{id}",
        ["epoch"] = 1,
        ["leaseSeconds"] = 30,
        ["spec"] = new JsonObject
        {
            ["id"] = id,
            ["owner"] = new JsonObject { ["user"] = "ana@example.org" },
            ["purpose"] = new JsonObject { ["use"] = "GRU" },
            ["accelerators"] = new JsonObject { ["count"] = 1 },
            ["work"] = new JsonObject { ["acceleratorHours"] = 1, ["referenceAccelerator"] = "a100-80gb-sxm" },
            ["walltimeMinutes"] = 60,
            ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
        },
    };

    [Fact]
    public async Task AdmissionInFr_ProvenInDeWithFrsRosterKey_AndFrsHeadsConsistentOnDesPeersView()
    {
        await using var nations = await TwoNations.StartAsync(s_settings);
        using var frApi = new HttpClient { BaseAddress = new Uri(nations.Fr.ApiUrl + "/") };
        using var deApi = new HttpClient { BaseAddress = new Uri(nations.De.ApiUrl + "/") };
        Assert.Equal(HttpStatusCode.Created, (await frApi.PostAsJsonAsync("api/v1/nodes", new JsonObject { ["id"] = "fr-gpu", ["site"] = "lab", ["accelerator"] = "a100-80gb-sxm", ["count"] = 2 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await frApi.PostAsJsonAsync("api/v1/nodes/fr-gpu/heartbeat", new JsonObject(), Ct)).StatusCode);

        using (var de = nations.De.Peers.CreateClient(nations.De.Roster.Find("FR")!))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "federation/v1/jobs/offers") { Content = JsonContent.Create(Offer("proved-1")) }.WithRequestId(Guid.NewGuid());
            using var response = await de.SendAsync(request, Ct);
            var answer = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
            Assert.True(answer["admitted"]!.GetValue<bool>(), answer.ToJsonString());
        }

        // FR appends the admission in the execution's turn: wait for it with a deadline.
        var admission = await Eventually.WaitAsync(
            async () => (await frApi.GetFromJsonAsync<JsonObject>("api/v1/audit/entries?kind=admission&job=DE/proved-1", Ct))!["items"]!.AsArray().OfType<JsonObject>().FirstOrDefault(),
            e => e is not null,
            TimeSpan.FromSeconds(60),
            "FR to log its admission of DE/proved-1",
            TimeSpan.FromMilliseconds(100));
        // The offer itself is a federation-request-in entry, with the answer's status.
        var offerIn = await Eventually.WaitAsync(
            async () => (await frApi.GetFromJsonAsync<JsonObject>("api/v1/audit/entries?kind=federation-request-in&job=DE/proved-1", Ct))!["items"]!.AsArray().OfType<JsonObject>().FirstOrDefault(),
            e => e is not null,
            TimeSpan.FromSeconds(60),
            "FR to log DE's offer of DE/proved-1 as a federation-request-in entry",
            TimeSpan.FromMilliseconds(100));
        Assert.Equal("DE", offerIn!["peer"]!.GetValue<string>());
        Assert.Equal("200", offerIn["detail"]!["status"]!.GetValue<string>());
        var index = admission!["index"]!.GetValue<long>();
        var head = await nations.Fr.Services.GetRequiredService<TreeHeadPublisher>().PublishAsync(Ct);
        Assert.NotNull(head);

        // DE fetches FR's head over the federation API and checks it against FR's roster pin.
        var checks = await nations.De.Services.GetRequiredService<PeerHeadWatcher>().CheckAllAsync(Ct);
        var check = Assert.Single(checks);
        Assert.Equal(("FR", PeerHeadStatus.Consistent), (check.Peer, check.Status));
        Assert.Equal(head.Head.Root, check.Fresh!.Head.Root);
        var peers = (await deApi.GetFromJsonAsync<JsonArray>("api/v1/peers", Ct))!;
        var fr = peers.OfType<JsonObject>().Single(p => p["nation"]!.GetValue<string>() == "FR");
        Assert.Equal("consistent", fr["transparency"]!.GetValue<string>());

        // DE proves the admission is in FR's log, against FR's pin on DE's roster.
        var verdict = (await deApi.GetFromJsonAsync<JsonObject>($"api/v1/audit/peers/FR/prove?index={index}", Ct))!;
        Assert.True(verdict["verified"]!.GetValue<bool>(), verdict.ToJsonString());
        Assert.Equal(nations.De.Roster.Find("FR")!.Pins, verdict["pins"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("DE/proved-1", verdict["proof"]!["entry"]!["job"]!.GetValue<string>());
        Assert.Equal("admission", verdict["proof"]!["entry"]!["kind"]!.GetValue<string>());
        Assert.Equal(head.Head.Size, verdict["proof"]!["head"]!["treeSize"]!.GetValue<long>());

        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["FEDCTL_CONFIG"] = Path.Combine(Path.GetTempPath(), $"fedctl-test-{Guid.NewGuid():N}", "config.json"),
            ["FEDCTL_URL"] = nations.De.ApiUrl,
        };
        var exit = await FedctlApp.RunAsync(["audit", "prove", index.ToString(System.Globalization.CultureInfo.InvariantCulture), "--nation", "FR"], output, error, TextReader.Null, environment, Ct);
        Assert.True(exit == 0, error.ToString());
        Assert.Contains($"verified: entry {index} is in FR's log as signed at size {head.Head.Size}", output.ToString(), StringComparison.Ordinal);

        // Bad requests name what is wrong.
        Assert.Equal(HttpStatusCode.NotFound, (await deApi.GetAsync("api/v1/audit/peers/SE/prove?index=0", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await deApi.GetAsync("api/v1/audit/peers/FR/prove", Ct)).StatusCode);
    }
}
