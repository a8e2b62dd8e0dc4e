using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Silo.Postgres;
using Federation.Silo.Transparency;
using Federation.Testing;
using Federation.Transparency;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Transparency;

/// <summary>
/// On a PostgreSQL nation, a job's routing decision (here: to wait) is a row of <c>transparency_entry</c> written
/// through the silo's commit pipeline (with the job grain's state write), and the log still verifies.
/// </summary>
public sealed class RoutingEntryPostgresTests : IAsyncLifetime
{
    private const string Owner = "bob@uni.example";

    private PostgresTestDatabase _database = null!;
    private SiloUnderTest _silo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => _silo.Client;

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync("routing_entries");
        _silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString, new Dictionary<string, string?>
        {
            ["Federation:Nation:Code"] = "FR",
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Executor:SecondsPerEstimatedHour"] = "1",
            ["Federation:Transparency:HeadInterval"] = "01:00:00",
        });
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("gpu-routing-pg", leaseSeconds: 3600)), Ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/nodes/gpu-routing-pg/heartbeat", Payloads.Json(new JsonObject()), Ct), HttpStatusCode.OK);
    }

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task RoutingDecision_IsARowOfThePostgresLog_WrittenThroughTheCommitPipeline()
    {
        var log = (PostgresTransparencyLog)_silo.Services.GetRequiredService<ITransparencyLog>();
        var before = log.PipelineWrites.Items;
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(new JsonObject
        {
            ["id"] = "routed-pg",
            ["owner"] = new JsonObject { ["user"] = Owner },
            ["purpose"] = new JsonObject { ["use"] = "GRU" },
            ["accelerators"] = new JsonObject { ["count"] = 64 },
            ["work"] = new JsonObject { ["acceleratorHours"] = 1, ["referenceAccelerator"] = "a100-80gb-sxm" },
            ["walltimeMinutes"] = 600,
            ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
        }), Ct), HttpStatusCode.Created);

        var entries = await Eventually.WaitAsync(
            async () => (await Client.GetFromJsonAsync<JsonObject>("/api/v1/audit/entries?kind=routing-decision&job=FR/routed-pg", Ct))!["items"]!.AsArray().OfType<JsonObject>().ToList(),
            e => e.Count > 0, TimeSpan.FromSeconds(60), "FR to log the routing decision of FR/routed-pg", TimeSpan.FromMilliseconds(100));

        // A job that can run nowhere: no admission, so every entry the pipeline carried since is a routing decision.
        var entry = entries[0];
        Assert.Null(entry["peer"]);
        Assert.Equal("wait", entry["detail"]!["chosen"]!.GetValue<string>());
        Assert.Equal(_silo.Services.GetRequiredService<TransparencyRecorder>().Digest(Owner), entry["subject"]!.GetValue<string>());
        Assert.True(log.PipelineWrites.Items - before >= entries.Count, $"{entries.Count} routing entries, but the commit pipeline carried {log.PipelineWrites.Items - before} entries since the submission");
        var verification = await Http.ExpectAsync(await Client.PostAsync("/api/v1/audit/verify", null, Ct), HttpStatusCode.OK);
        Assert.True(verification["sound"]!.GetValue<bool>(), verification.ToJsonString());
    }
}
