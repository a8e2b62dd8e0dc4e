using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Federation.Testing;
using Npgsql;

namespace Federation.Silo.Tests;

/// <summary>A nation on real PostgreSQL: state survives restarts, keys never collide, the read model heals.</summary>
public sealed class PersistenceTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync(nameof(PersistenceTests));

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task RegisteredEntries_SiloRestarted_ComeBackIdentical()
    {
        var ct = TestContext.Current.CancellationToken;
        string dataset, node, model;
        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("census-2024")), ct), HttpStatusCode.Created);
            await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("gpu-paris-01")), ct), HttpStatusCode.Created);
            await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/models", Payloads.Json(Payloads.Model("census-model", "2.1.0", "FR/census-2024")), ct), HttpStatusCode.Created);
            dataset = (await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/datasets/census-2024", ct), HttpStatusCode.OK)).ToJsonString();
            node = (await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/nodes/gpu-paris-01", ct), HttpStatusCode.OK)).ToJsonString();
            model = (await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/models/census-model/versions/2.1.0", ct), HttpStatusCode.OK)).ToJsonString();
        }

        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            Assert.Equal(dataset, (await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/datasets/census-2024", ct), HttpStatusCode.OK)).ToJsonString());
            Assert.Equal(node, (await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/nodes/gpu-paris-01", ct), HttpStatusCode.OK)).ToJsonString());
            Assert.Equal(model, (await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/models/census-model/versions/2.1.0", ct), HttpStatusCode.OK)).ToJsonString());
            var listed = await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/datasets?text=census", ct), HttpStatusCode.OK);
            Assert.Equal("census-2024", listed["items"]![0]!["spec"]!["id"]!.GetValue<string>());
        }
    }

    // Found by the fuzz suite (seed 9194433250249813697): a NUL in a list parameter reached
    // PostgreSQL, which refused the query, and the API answered 503 "store unreachable".
    [Fact]
    public async Task ListOnPostgres_ControlCharacterInQueryParameter_Returns400NamingTheParameter()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString);
        (string PathAndQuery, string Parameter)[] cases =
        [
            ("/api/v1/models?text=%00&includeWithdrawn=true&limit=10", "text"),
            ("/api/v1/models?licence=health&name=%00&limit=10", "name"),
            ("/api/v1/datasets?text=health&after=%00", "after"),
            ("/api/v1/nodes?accelerator=%1b", "accelerator"),
            ("/api/v1/jobs?owner=%00&limit=100", "owner"),
            ("/api/v1/jobs?state=queued&owner=a%20b&after=%00", "after"),
            ("/api/v1/federated/datasets?text=a%20b&tag=%00", "tag"),
        ];
        foreach (var (pathAndQuery, parameter) in cases)
        {
            var problem = await Http.ExpectInvalidFieldAsync(await silo.Client.GetAsync(pathAndQuery, ct), parameter);
            Assert.True(
                problem["errors"]![parameter]![0]!.GetValue<string>().Contains("control characters", StringComparison.Ordinal),
                $"{pathAndQuery}: {problem.ToJsonString()}");
        }
    }

    [Fact]
    public async Task SameKeyAcrossGrainClasses_AndHexLookingIds_NeverCollide()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("cafe", "Dataset cafe")), ct), HttpStatusCode.Created);
            await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("0cafe", "Dataset 0cafe")), ct), HttpStatusCode.Created);
            await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("cafe")), ct), HttpStatusCode.Created);
            await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/models", Payloads.Json(Payloads.Model("cafe", "1")), ct), HttpStatusCode.Created);
        }

        // A fresh silo reads every entry back from PostgreSQL rather than from memory.
        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            var cafe = await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/datasets/cafe", ct), HttpStatusCode.OK);
            var zeroCafe = await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/datasets/0cafe", ct), HttpStatusCode.OK);
            var node = await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/nodes/cafe", ct), HttpStatusCode.OK);
            var model = await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/models/cafe/versions/1", ct), HttpStatusCode.OK);
            Assert.Equal("Dataset cafe", cafe["spec"]!["title"]!.GetValue<string>());
            Assert.Equal("Dataset 0cafe", zeroCafe["spec"]!["title"]!.GetValue<string>());
            Assert.Equal("h100-sxm", node["spec"]!["accelerator"]!.GetValue<string>());
            Assert.Equal("safetensors", model["spec"]!["format"]!.GetValue<string>());
        }

        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var rows = new NpgsqlCommand("SELECT count(*) FROM orleansstorage WHERE grainidextensionstring IN ('ds-cafe', 'ds-0cafe', 'node-cafe', 'model-cafe@1')", connection);
        Assert.Equal(4L, (long)(await rows.ExecuteScalarAsync(ct))!);
    }

    [Fact]
    public async Task CrashBetweenGrainWriteAndReadModelWrite_RebuildAndNextWrite_Repair()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            // The read model refuses writes: grain state commits, the projection does not.
            await _database.ExecuteAsync("REVOKE INSERT, UPDATE ON catalogue_datasets FROM CURRENT_USER");
            await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("orphaned-a")), ct), HttpStatusCode.Created);
            await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("orphaned-b")), ct), HttpStatusCode.Created);

            // The silo dies before any retry can land.
            await silo.StopAsync();
            await _database.ExecuteAsync("GRANT INSERT, UPDATE ON catalogue_datasets TO CURRENT_USER");
        }

        Assert.Equal(0L, await _database.ScalarAsync("SELECT count(*) FROM catalogue_datasets WHERE key IN ('orphaned-a', 'orphaned-b')"));
        Assert.Equal(2L, await _database.ScalarAsync("SELECT count(*) FROM orleansstorage WHERE grainidextensionstring IN ('ds-orphaned-a', 'ds-orphaned-b')"));

        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            var before = await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/datasets?text=orphaned", ct), HttpStatusCode.OK);
            Assert.Empty(before["items"]!.AsArray());

            // The next write of one entry repairs it through the idempotent upsert.
            using var update = new HttpRequestMessage(HttpMethod.Put, "/api/v1/datasets/orphaned-a") { Content = Payloads.Json(Payloads.Dataset("orphaned-a", "Repaired by a write")) };
            update.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
            await Http.ExpectAsync(await silo.Client.SendAsync(update, ct), HttpStatusCode.OK);
            var afterWrite = await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/datasets?text=orphaned", ct), HttpStatusCode.OK);
            Assert.Equal(["orphaned-a"], afterWrite["items"]!.AsArray().Select(i => i!["spec"]!["id"]!.GetValue<string>()));

            // Rebuild restores the rest from grain state.
            var report = await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/admin/read-model:rebuild", null, ct), HttpStatusCode.OK);
            Assert.True(report["datasets"]!.GetValue<int>() >= 2, report.ToJsonString());
            var afterRebuild = await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/datasets?text=orphaned", ct), HttpStatusCode.OK);
            var items = afterRebuild["items"]!.AsArray();
            Assert.Equal(["orphaned-a", "orphaned-b"], items.Select(i => i!["spec"]!["id"]!.GetValue<string>()));
            Assert.Equal("Repaired by a write", items[0]!["spec"]!["title"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task JobReadModelRowLost_RebuildRestoresItFromTheJobGrain()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString, new Dictionary<string, string?> { ["Federation:Peering:Workloads:0"] = "demo-train@1.0" });
        var job = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = "rebuilt-job",
            ["owner"] = new System.Text.Json.Nodes.JsonObject { ["user"] = "alice" },
            ["purpose"] = new System.Text.Json.Nodes.JsonObject { ["use"] = "GRU" },
            ["accelerators"] = new System.Text.Json.Nodes.JsonObject { ["count"] = 1 },
            ["work"] = new System.Text.Json.Nodes.JsonObject { ["flops"] = 1e18 },
            ["walltimeMinutes"] = 60,
            ["workload"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
        };
        await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/jobs", Payloads.Json(job), ct), HttpStatusCode.Created);
        await Eventually.WaitAsync(() => _database.ScalarAsync("SELECT count(*) FROM job WHERE id = 'FR/rebuilt-job'"), n => n == 1L, TimeSpan.FromSeconds(10), "the job in the read model");

        await _database.ExecuteAsync("DELETE FROM job");
        var report = await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/admin/read-model:rebuild", null, ct), HttpStatusCode.OK);

        Assert.Equal(1, report["jobs"]!.GetValue<int>());
        Assert.Equal(1L, await _database.ScalarAsync("SELECT count(*) FROM job WHERE id = 'FR/rebuilt-job'"));
        var listed = await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/jobs?owner=alice", ct), HttpStatusCode.OK);
        Assert.Equal("FR/rebuilt-job", listed["items"]![0]!["ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConfiguredSilo_Tokens_401WithoutOrWrong_403ForNodeTokenWriting()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString);
        using var anonymous = silo.CreateClient(null);
        using var wrong = silo.CreateClient("not-a-token-this-nation-issued");
        using var agent = silo.CreateClient(SiloUnderTest.NodeToken);

        await Http.ExpectProblemAsync(await anonymous.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("anon")), ct), HttpStatusCode.Unauthorized);
        await Http.ExpectProblemAsync(await wrong.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("wrong")), ct), HttpStatusCode.Unauthorized);
        await Http.ExpectProblemAsync(await agent.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("agent")), ct), HttpStatusCode.Forbidden);
        await Http.ExpectProblemAsync(await anonymous.GetAsync("/dashboard/", ct), HttpStatusCode.Unauthorized);
        await Http.ExpectAsync(await silo.Client.GetAsync("/dashboard/", ct), HttpStatusCode.OK);
        await Http.ExpectAsync(await anonymous.GetAsync("/api/v1/datasets", ct), HttpStatusCode.OK);

        await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("agent-node")), ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("other-node")), ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await agent.PostAsync("/api/v1/nodes/agent-node/heartbeat", Payloads.Json(new JsonObject { ["powerDrawWatts"] = 1234.5 }), ct), HttpStatusCode.OK);
        await Http.ExpectProblemAsync(await agent.PostAsync("/api/v1/nodes/other-node/heartbeat", Payloads.Json(new JsonObject()), ct), HttpStatusCode.Forbidden);
        await Http.ExpectProblemAsync(await anonymous.PostAsync("/api/v1/nodes/agent-node/heartbeat", Payloads.Json(new JsonObject()), ct), HttpStatusCode.Unauthorized);

        foreach (var id in new[] { "anon", "wrong", "agent" })
        {
            await Http.ExpectProblemAsync(await silo.Client.GetAsync($"/api/v1/datasets/{id}", ct), HttpStatusCode.NotFound);
        }

        var node = await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/nodes/agent-node", ct), HttpStatusCode.OK);
        Assert.Equal("up", node["state"]!.GetValue<string>());
        Assert.Equal("measured", node["powerSource"]!.GetValue<string>());
    }

    [Fact]
    public async Task GpuNode_StopsHeartbeating_IsMarkedDownWithoutOutsideRequests()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString);
        await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("short-lease", leaseSeconds: 2)), ct), HttpStatusCode.Created);
        var up = await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes/short-lease/heartbeat", Payloads.Json(new JsonObject()), ct), HttpStatusCode.OK);
        Assert.Equal("up", up["state"]!.GetValue<string>());

        // Only the read model is polled (straight from PostgreSQL): no request reaches the node's grain.
        var state = await Eventually.WaitAsync(
            () => ScalarTextAsync("SELECT state FROM catalogue_nodes WHERE key = 'short-lease'"),
            s => s == "down",
            TimeSpan.FromSeconds(30),
            "node short-lease (lease 2 s, one heartbeat) to be marked down in the read model by its own lease timer");
        Assert.Equal("down", state);
        var node = await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/nodes/short-lease", ct), HttpStatusCode.OK);
        Assert.StartsWith("missed heartbeats", node["stateReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<string?> ScalarTextAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync();
    }
}
