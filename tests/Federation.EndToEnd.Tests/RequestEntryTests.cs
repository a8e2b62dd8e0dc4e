using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Two in-process nations over real mutual TLS: every job message that crosses the border is in both
/// nations' logs — the offer and the cancellation DE sends, the reports FR sends (once per state, not
/// per progress report), each as <c>federation-request-out</c> at the sender and
/// <c>federation-request-in</c> at the receiver with the same request id — while lease renewals
/// answered "continue" (one every 2 s here) are not logged.
/// </summary>
public sealed class RequestEntryTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string?> s_settings = new()
    {
        ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
        ["Federation:Peering:AdvertInterval"] = "00:00:01",
        ["Federation:Jobs:LeaseSeconds"] = "6",
        ["Federation:Jobs:MarginSeconds"] = "2",
        ["Federation:Executor:SecondsPerEstimatedHour"] = "10",
        ["Federation:Executor:ProgressSeconds"] = "0.2",
        ["Federation:Transparency:HeadInterval"] = "01:00:00",
        ["Federation:Transparency:PeerCheckInterval"] = "01:00:00",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OfferReportsCancellation_InBothLogsWithOneRequestId_ContinuedRenewalsNot()
    {
        await using var nations = await TwoNations.StartAsync(s_settings);
        using var fr = new HttpClient { BaseAddress = new Uri(nations.Fr.ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        using var de = new HttpClient { BaseAddress = new Uri(nations.De.ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.Created, (await fr.PostAsJsonAsync("api/v1/nodes", new JsonObject { ["id"] = "fr-gpu", ["site"] = "lab", ["accelerator"] = "a100-80gb-sxm", ["count"] = 4, ["leaseSeconds"] = 3600 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fr.PostAsJsonAsync("api/v1/nodes/fr-gpu/heartbeat", new JsonObject(), Ct)).StatusCode);
        var open = FederationFixtures.DatasetBody("FR/open", 1_000_000, new JsonObject { ["kind"] = "homeOnly" }, new JsonObject { ["permission"] = "GRU" });
        Assert.Equal(HttpStatusCode.Created, (await fr.PostAsJsonAsync("api/v1/datasets", open, Ct)).StatusCode);
        await Eventually.WaitAsync(
            () => FederationFixtures.PeerAsync(de, "FR"),
            p => p?["lastAdvert"]?["accelerators"]?.AsArray().Count > 0,
            s_wait, "DE to hear FR's advert with its accelerators", TimeSpan.FromMilliseconds(200));

        // A long job (90 s at this pace) runs in FR; DE cancels it once it runs.
        var job = new JsonObject
        {
            ["id"] = "long-1",
            ["owner"] = new JsonObject { ["user"] = "ana@example.org" },
            ["inputs"] = new JsonArray("FR/open"),
            ["purpose"] = new JsonObject { ["use"] = "GRU" },
            ["accelerators"] = new JsonObject { ["count"] = 1 },
            ["work"] = new JsonObject { ["acceleratorHours"] = 9, ["referenceAccelerator"] = "a100-80gb-sxm" },
            ["walltimeMinutes"] = 600,
            ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
        };
        Assert.Equal(HttpStatusCode.Created, (await de.PostAsJsonAsync("api/v1/jobs", job, Ct)).StatusCode);
        await Eventually.WaitAsync(
            async () => await de.GetStringAsync("api/v1/jobs/long-1", Ct),
            j => JsonNode.Parse(j)!["state"]!.GetValue<string>() == "running",
            s_wait, "DE's job to run in FR", TimeSpan.FromMilliseconds(200));
        var running = await EntriesAsync(de, "federation-request-in", e => e.Any(x => Detail(x, "message") == "report" && Detail(x, "state") == "running"), "DE to log FR's report that the job runs");
        using (var cancel = await de.PostAsJsonAsync("api/v1/jobs/long-1:cancel", new JsonObject { ["reason"] = "wrong inputs" }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        var deIn = await EntriesAsync(de, "federation-request-in", e => e.Any(x => Detail(x, "state") == "cancelled"), "DE to log FR's report that the run was cancelled");
        var deOut = await EntriesAsync(de, "federation-request-out", e => e.Any(x => Detail(x, "message") == "cancellation"), "DE to log the cancellation it sent");
        var frIn = await EntriesAsync(fr, "federation-request-in", e => e.Any(x => Detail(x, "message") == "cancellation"), "FR to log DE's cancellation");
        var frOut = await EntriesAsync(fr, "federation-request-out", e => e.Any(x => Detail(x, "state") == "cancelled"), "FR to log the report of the cancelled run it sent");

        // The offer: out at DE (admitted), in at FR (200, admitted), one request id.
        var offerOut = Assert.Single(deOut, e => Detail(e, "message") == "offer");
        var offerIn = Assert.Single(frIn, e => Detail(e, "message") == "offer");
        Assert.Equal(("FR", "admitted"), (offerOut["peer"]!.GetValue<string>(), Detail(offerOut, "outcome")));
        Assert.Equal(("DE", "200", "admitted"), (offerIn["peer"]!.GetValue<string>(), Detail(offerIn, "status"), Detail(offerIn, "outcome")));
        Assert.Equal(Detail(offerOut, "request"), Detail(offerIn, "request"));

        // The cancellation: out at DE (delivered), in at FR (204), one request id.
        var cancelOut = Assert.Single(deOut, e => Detail(e, "message") == "cancellation");
        var cancelIn = Assert.Single(frIn, e => Detail(e, "message") == "cancellation");
        Assert.Equal("delivered", Detail(cancelOut, "outcome"));
        Assert.Equal(("204", "1"), (Detail(cancelIn, "status"), Detail(cancelIn, "epoch")));
        Assert.Equal(Detail(cancelOut, "request"), Detail(cancelIn, "request"));

        // Reports: once per state on each side (progress every 0.2 s adds none), with matching request ids.
        foreach (var state in new[] { "running", "cancelled" })
        {
            var sent = Assert.Single(frOut, e => Detail(e, "message") == "report" && Detail(e, "state") == state);
            var received = Assert.Single(deIn, e => Detail(e, "message") == "report" && Detail(e, "state") == state);
            Assert.Equal(Detail(sent, "request"), Detail(received, "request"));
            Assert.Equal("DE/long-1", received["job"]!.GetValue<string>());
        }

        // Renewals were sent every 2 s while it ran; none answered "continue" is in either log.
        Assert.DoesNotContain(deIn.Concat(frOut), e => Detail(e, "message") == "renewal" && Detail(e, "outcome") == "continue");
        Assert.NotEmpty(running);
    }

    private static string? Detail(JsonObject entry, string key) => entry["detail"]?[key]?.GetValue<string>();

    // Polls a nation's log (its audit API) for DE/long-1's entries of kind until accept holds, or the deadline passes naming what was missing and what the log held.
    private static async Task<List<JsonObject>> EntriesAsync(HttpClient nation, string kind, Func<List<JsonObject>, bool> accept, string expectation)
    {
        async Task<List<JsonObject>> ReadAsync() =>
            (await nation.GetFromJsonAsync<JsonObject>($"api/v1/audit/entries?job=DE/long-1&kind={kind}&limit=1000", Ct))!["items"]!.AsArray().OfType<JsonObject>().ToList();
        try
        {
            return await Eventually.WaitAsync(ReadAsync, accept, s_wait, expectation, TimeSpan.FromMilliseconds(200));
        }
        catch (TimeoutException e)
        {
            var all = await nation.GetStringAsync("api/v1/audit/entries?job=DE/long-1&limit=1000", Ct);
            throw new TimeoutException($"{e.Message}; the log held for DE/long-1: {all}", e);
        }
    }
}
