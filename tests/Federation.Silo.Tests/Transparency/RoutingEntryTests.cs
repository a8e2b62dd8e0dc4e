using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Silo.Transparency;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Transparency;

/// <summary>
/// The origin's routing decisions in the log of an embedded nation: a job that can run here gets one
/// <c>routing-decision</c> entry naming the nation chosen and the candidates, with its owner only as the
/// digest; a job that can run nowhere is logged as waiting (no peer), once per plan; a repeated
/// submission of the same job decides nothing new and logs nothing.
/// </summary>
public sealed class RoutingEntryTests : IAsyncLifetime
{
    private const string Owner = "alice@uni.example";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    private SiloUnderTest _silo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => _silo.Client;

    public async ValueTask InitializeAsync()
    {
        _silo = await SiloUnderTest.StartEmbeddedAsync(extra: new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Executor:SecondsPerEstimatedHour"] = "1",
            ["Federation:Transparency:HeadInterval"] = "01:00:00",
            ["Federation:Jobs:ReplanSeconds"] = "0.5",
        });
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("gpu-routing", leaseSeconds: 3600)), Ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/nodes/gpu-routing/heartbeat", Payloads.Json(new JsonObject()), Ct), HttpStatusCode.OK);
    }

    public async ValueTask DisposeAsync() => await _silo.DisposeAsync();

    private static JsonObject Job(string id, int accelerators) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = Owner },
        ["purpose"] = new JsonObject { ["use"] = "GRU" },
        ["accelerators"] = new JsonObject { ["count"] = accelerators },
        ["work"] = new JsonObject { ["acceleratorHours"] = 1, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 600,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
    };

    private async Task<List<JsonObject>> RoutingEntriesAsync(string job) =>
        [.. (await Client.GetFromJsonAsync<JsonObject>($"/api/v1/audit/entries?kind=routing-decision&job=FR/{job}", Ct))!["items"]!.AsArray().OfType<JsonObject>()];

    [Fact]
    public async Task JobThatCanRunHere_OneRoutingDecisionNamingTheNation_OwnerOnlyAsDigest_NoneForTheSameSubmissionAgain()
    {
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("routed-1", 1)), Ct), HttpStatusCode.Created);

        // The entry rides the job grain's state commit: it is there once the job was offered (its admission follows).
        await Eventually.WaitAsync(
            async () => (await Client.GetFromJsonAsync<JsonObject>("/api/v1/audit/entries?kind=admission&job=FR/routed-1", Ct))!["items"]!.AsArray().Count,
            n => n > 0, s_wait, "FR to admit FR/routed-1", TimeSpan.FromMilliseconds(100));
        var entry = Assert.Single(await RoutingEntriesAsync("routed-1"));
        Assert.Null(entry["problem"]);
        Assert.Equal("FR", entry["peer"]!.GetValue<string>());
        Assert.Equal("FR", entry["detail"]!["chosen"]!.GetValue<string>());
        Assert.True(int.Parse(entry["detail"]!["candidates"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= 1, entry.ToJsonString());
        Assert.True(int.Parse(entry["detail"]!["feasible"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= 1, entry.ToJsonString());
        Assert.False(string.IsNullOrWhiteSpace(entry["detail"]!["reason"]!.GetValue<string>()));
        Assert.Equal(_silo.Services.GetRequiredService<TransparencyRecorder>().Digest(Owner), entry["subject"]!.GetValue<string>());
        Assert.DoesNotContain(Owner, entry.ToJsonString(), StringComparison.Ordinal);

        // The same submission again changes nothing: no new decision, no new entry.
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("routed-1", 1)), Ct), HttpStatusCode.OK);
        Assert.Single(await RoutingEntriesAsync("routed-1"));
    }

    [Fact]
    public async Task JobThatCanRunNowhere_LoggedAsWaiting_WithNoPeer_AndTheReason_OncePerPlan()
    {
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("waiting-1", 64)), Ct), HttpStatusCode.Created);

        // Planned again every half second while it waits: each plan is a decision, and an entry.
        var entries = await Eventually.WaitAsync(() => RoutingEntriesAsync("waiting-1"), e => e.Count >= 2, s_wait, "FR to log two routing decisions of FR/waiting-1", TimeSpan.FromMilliseconds(100));

        Assert.All(entries, e =>
        {
            Assert.Null(e["problem"]);
            Assert.Null(e["peer"]);
            Assert.Equal("wait", e["detail"]!["chosen"]!.GetValue<string>());
            Assert.Equal("0", e["detail"]!["feasible"]!.GetValue<string>());
            Assert.StartsWith("no nation can run this job", e["detail"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        });
        var job = await Http.ExpectAsync(await Client.GetAsync("/api/v1/jobs/waiting-1", Ct), HttpStatusCode.OK);
        Assert.Equal("planned", job["state"]!.GetValue<string>());
    }
}
