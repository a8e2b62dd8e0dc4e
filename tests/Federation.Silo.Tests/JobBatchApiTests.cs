using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Silo.Postgres;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;

namespace Federation.Silo.Tests;

/// <summary>
/// <c>POST /api/v1/jobs:batch</c> on a configured nation (PostgreSQL), and the group commit of the
/// <c>jobs</c> grain storage under it: many writes, few transactions, a conflict failing only its grain.
/// </summary>
public sealed class JobBatchApiTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;
    private SiloUnderTest _silo = null!;

    private HttpClient Client => _silo.Client;

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync(nameof(JobBatchApiTests));
        _silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString, new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
        });
        var ct = TestContext.Current.CancellationToken;
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("batch-cohort")), ct), HttpStatusCode.Created);
    }

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static JsonObject Job(string id, double walltimeMinutes = 600) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "alice" },
        ["inputs"] = new JsonArray("FR/batch-cohort"),
        ["purpose"] = new JsonObject { ["use"] = "HMB", ["ethicsApprovalReference"] = "IRB-1" },
        ["accelerators"] = new JsonObject { ["count"] = 1 },
        ["work"] = new JsonObject { ["acceleratorHours"] = 2, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = walltimeMinutes,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
    };

    private static StringContent Batch(params JsonNode?[] jobs) =>
        new(new JsonObject { ["jobs"] = new JsonArray(jobs) }.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<JsonArray> PostBatchAsync(params JsonNode?[] jobs)
    {
        var answer = await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs:batch", Batch(jobs), TestContext.Current.CancellationToken), HttpStatusCode.OK);
        var entries = answer["jobs"]!.AsArray();
        Assert.Equal(jobs.Length, entries.Count);
        Assert.Equal(Enumerable.Range(0, jobs.Length), entries.Select(e => e!["index"]!.GetValue<int>()));
        return entries;
    }

    private static string Outcome(JsonNode? entry) => entry!["outcome"]!.GetValue<string>();

    private static string Field(JsonNode? entry) => entry!["problem"]!["field"]!.GetValue<string>();

    [Fact]
    public async Task Batch_GoodAndBadEntries_CreatesExactlyTheGoodOnes_AndNamesEachBadField()
    {
        var ct = TestContext.Current.CancellationToken;
        var wrongType = Job("bad-type");
        wrongType["walltimeMinutes"] = "ten hours";
        var unknownMember = Job("bad-member");
        unknownMember["colour"] = "blue";
        var unknownInput = Job("bad-input");
        unknownInput["inputs"] = new JsonArray("FR/no-such-dataset");
        var unknownWorkload = Job("bad-workload");
        unknownWorkload["workload"] = new JsonObject { ["name"] = "not-offered", ["version"] = "9" };

        var entries = await PostBatchAsync(
            Job("good-1"),
            Job("bad-walltime", walltimeMinutes: 0),
            Job("good-2"),
            JsonValue.Create(42),
            wrongType,
            unknownMember,
            unknownInput,
            unknownWorkload,
            Job("good-3"));

        Assert.Equal(["created", "invalid", "created", "invalid", "invalid", "invalid", "invalid", "invalid", "created"], entries.Select(Outcome));
        Assert.Equal(["walltimeMinutes", "$", "walltimeMinutes", "colour", "inputs[0]", "workload"], entries.Where(e => Outcome(e) == "invalid").Select(Field));
        Assert.All(entries.Where(e => Outcome(e) == "invalid"), e => Assert.False(string.IsNullOrWhiteSpace(e!["problem"]!["reason"]!.GetValue<string>())));
        Assert.Equal("bad-walltime", entries[1]!["id"]!.GetValue<string>());

        foreach (var id in new[] { "good-1", "good-2", "good-3" })
        {
            var entry = entries.Single(e => e!["id"]?.GetValue<string>() == id);
            // The plan made for the batch is each job's first: the answer already shows where it led
            // (no nation of this fixture can run these jobs, so they are pending).
            Assert.Equal("planned", entry!["state"]!.GetValue<string>());
            var job = await Http.ExpectAsync(await Client.GetAsync($"/api/v1/jobs/{id}", ct), HttpStatusCode.OK);
            Assert.Equal($"FR/{id}", job["ref"]!.GetValue<string>());
        }

        foreach (var id in new[] { "bad-walltime", "bad-type", "bad-member", "bad-input", "bad-workload" })
        {
            await Http.ExpectProblemAsync(await Client.GetAsync($"/api/v1/jobs/{id}", ct), HttpStatusCode.NotFound);
        }

        // Nothing of the bad entries reached grain storage either.
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var rows = new NpgsqlCommand("SELECT count(*) FROM orleansstorage WHERE graintypestring = 'job'", connection);
        Assert.Equal(3L, (long)(await rows.ExecuteScalarAsync(ct))!);
    }

    [Fact]
    public async Task Batch_SentAgain_IsExisting_AChangedSpecIsAConflict_AndARepeatedIdSeesItsEarlierEntry()
    {
        var first = await PostBatchAsync(Job("again-1"), Job("again-2"));
        Assert.Equal(["created", "created"], first.Select(Outcome));

        var again = await PostBatchAsync(Job("again-1"), Job("again-2"));
        Assert.Equal(["existing", "existing"], again.Select(Outcome));

        var changed = await PostBatchAsync(Job("again-1", walltimeMinutes: 30), Job("again-2"));
        Assert.Equal(["conflict", "existing"], changed.Select(Outcome));
        Assert.Equal("id", Field(changed[0]));
        Assert.Contains("another spec", changed[0]!["problem"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        var stored = await Http.ExpectAsync(await Client.GetAsync("/api/v1/jobs/again-1", TestContext.Current.CancellationToken), HttpStatusCode.OK);
        Assert.Equal(600, stored["spec"]!["walltimeMinutes"]!.GetValue<double>());

        var repeated = await PostBatchAsync(Job("twice"), Job("twice"), Job("twice", walltimeMinutes: 30));
        Assert.Equal(["created", "existing", "conflict"], repeated.Select(Outcome));
    }

    [Fact]
    public async Task Batch_OverLimitMalformedOrEmpty_Is400ProblemJson_AndStoresNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var tooMany = Enumerable.Range(0, 1001).Select(i => (JsonNode?)new JsonObject { ["id"] = $"many-{i}" }).ToArray();
        var over = await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/jobs:batch", Batch(tooMany), ct), "jobs");
        Assert.Contains("1000", over["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/jobs:batch", Batch(), ct), "jobs");
        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/jobs:batch", new StringContent("{}", Encoding.UTF8, "application/json"), ct), "jobs");
        await Http.ExpectProblemAsync(await Client.PostAsync("/api/v1/jobs:batch", new StringContent("{\"jobs\": [", Encoding.UTF8, "application/json"), ct), HttpStatusCode.BadRequest);
        await Http.ExpectProblemAsync(await Client.PostAsync("/api/v1/jobs:batch", new StringContent("{\"jobs\": [], \"extra\": 1}", Encoding.UTF8, "application/json"), ct), HttpStatusCode.BadRequest);
        await Http.ExpectProblemAsync(await Client.PostAsync("/api/v1/jobs:batch", new StringContent("{\"jobs\": []}", Encoding.UTF8, "text/plain"), ct), HttpStatusCode.UnsupportedMediaType);

        using var anonymous = _silo.CreateClient(null);
        await Http.ExpectProblemAsync(await anonymous.PostAsync("/api/v1/jobs:batch", Batch(Job("anonymous")), ct), HttpStatusCode.Unauthorized);

        var list = await Http.ExpectAsync(await Client.GetAsync("/api/v1/jobs", ct), HttpStatusCode.OK);
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task GroupCommit_WritesQueuedBehindATransaction_CommitTogether_AndAVersionConflictFailsOnlyItsGrain()
    {
        var ct = TestContext.Current.CancellationToken;
        var storage = Assert.IsType<GroupCommitGrainStorage>(_silo.Services.GetRequiredKeyedService<IGrainStorage>(Federation.Grains.GrainStorageNames.Jobs));
        const string StateName = "group-commit-test";
        static GrainId Id(string key) => GrainId.Create("test", key);

        // Many concurrent writes of distinct grains: far fewer transactions than writes.
        var before = storage.Writes.Transactions;
        var many = Enumerable.Range(0, 300).Select(i => (Id: Id($"gc-many-{i}"), State: new GrainState<string>($"state {i}"))).ToList();
        await Task.WhenAll(many.Select(w => storage.WriteStateAsync(StateName, w.Id, w.State)));
        var transactions = storage.Writes.Transactions - before;
        Assert.True(transactions < 300, $"300 concurrent writes took {transactions} transactions");
        Assert.All(many, w => Assert.Equal("1", w.State.ETag));

        // Two rows locked by another transaction hold both flushers; what arrives meanwhile queues.
        var blockers = new[] { (Id: Id("gc-block-a"), State: new GrainState<string>("a")), (Id: Id("gc-block-b"), State: new GrainState<string>("b")) };
        foreach (var (id, state) in blockers)
        {
            await storage.WriteStateAsync(StateName, id, state);
        }

        var stale = (Id: Id("gc-stale"), State: new GrainState<string>("first"));
        await storage.WriteStateAsync(StateName, stale.Id, stale.State);
        Assert.Equal("1", stale.State.ETag);

        await using var locker = new NpgsqlConnection(_database.ConnectionString);
        await locker.OpenAsync(ct);
        var lockTransaction = await locker.BeginTransactionAsync(ct);
        await using (var lockRows = new NpgsqlCommand("SELECT 1 FROM orleansstorage WHERE grainidextensionstring IN ('gc-block-a', 'gc-block-b') FOR UPDATE", locker, lockTransaction))
        {
            await lockRows.ExecuteNonQueryAsync(ct);
        }

        // One at a time, so that each takes a flusher of its own.
        var blocked = new List<Task>();
        foreach (var (id, state) in blockers)
        {
            blocked.Add(storage.WriteStateAsync(StateName, id, state));
            await Eventually.WaitAsync(
                () => WaitingOnLocksAsync(ct),
                n => n >= blocked.Count,
                TimeSpan.FromSeconds(20),
                $"{blocked.Count} flusher(s) of the jobs storage waiting on the locked rows");
        }

        Assert.Equal(storage.Writes.MaxConcurrentFlushes, blocked.Count);

        before = storage.Writes.Transactions;
        var queued = Enumerable.Range(0, 10).Select(i => (Id: Id($"gc-queued-{i}"), State: new GrainState<string>($"queued {i}"))).ToList();
        var writes = queued.Select(q => storage.WriteStateAsync(StateName, q.Id, q.State)).ToList();
        stale.State.ETag = "7";  // a version this grain never held: the row is at 1
        stale.State.State = "lost update";
        var conflicting = storage.WriteStateAsync(StateName, stale.Id, stale.State);
        Assert.All(writes.Append(conflicting), w => Assert.False(w.IsCompleted));

        await lockTransaction.CommitAsync(ct);
        await Task.WhenAll(blocked);
        await Task.WhenAll(writes);
        await Assert.ThrowsAsync<InconsistentStateException>(() => conflicting);

        // The two blocked writes, then the eleven queued ones in one transaction, the conflict included.
        Assert.Equal(3, storage.Writes.Transactions - before);
        Assert.True(storage.Writes.LargestBatch >= 11, $"largest transaction held {storage.Writes.LargestBatch} writes");
        Assert.All(queued, q => Assert.Equal("1", q.State.ETag));
        Assert.All(blockers, b => Assert.Equal("2", b.State.ETag));

        // Stored rows are the ADO.NET provider's: its reads find them, with the payload and the version.
        foreach (var (id, state) in queued.Concat(blockers))
        {
            var read = new GrainState<string>();
            await storage.ReadStateAsync(StateName, id, read);
            Assert.Equal((state.State, state.ETag, true), (read.State, read.ETag, read.RecordExists));
        }

        var kept = new GrainState<string>();
        await storage.ReadStateAsync(StateName, stale.Id, kept);
        Assert.Equal(("first", "1"), (kept.State, kept.ETag));

        // And the storage goes on after the conflict: the grain, re-read, writes again.
        await storage.WriteStateAsync(StateName, stale.Id, kept);
        Assert.Equal("2", kept.ETag);
    }

    [Fact]
    public async Task GroupCommit_PayloadsFromPooledBuffers_AreTheStorageSerializersBytes_UnderConcurrentWritesOfEverySize()
    {
        var ct = TestContext.Current.CancellationToken;
        var storage = Assert.IsType<GroupCommitGrainStorage>(_silo.Services.GetRequiredKeyedService<IGrainStorage>(Federation.Grains.GrainStorageNames.Jobs));
        Assert.True(storage.PooledPayloads, "the silo's jobs storage serializes with Orleans' serializer into pooled buffers");
        var serializer = _silo.Services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(Federation.Grains.GrainStorageNames.Jobs).GrainStorageSerializer;
        const string StateName = "pooled-payload-test";

        // Sizes from a few bytes to large objects (the capacity ledger's row is hundreds of kilobytes), written at once and
        // twice over: a buffer handed back before its transaction was over would be rented by another write and overwritten.
        var states = Enumerable.Range(0, 60)
            .Select(i => (Key: $"pooled-{i:D2}", State: new GrainState<string>(new string((char)('a' + (i % 26)), i % 3 == 0 ? 150_000 + (i * 1_000) : 1 + (i * 97)))))
            .ToList();
        foreach (var round in new[] { "first", "second" })
        {
            if (round == "second")
            {
                foreach (var (_, state) in states)
                {
                    state.State = state.State!.ToUpperInvariant();
                }
            }

            await Task.WhenAll(states.Select(s => storage.WriteStateAsync(StateName, GrainId.Create("test", s.Key), s.State)));
            var stored = await _database.GrainPayloadsAsync(StateName, ct);
            Assert.Equal(states.Count, stored.Count);
            foreach (var (key, state) in states)
            {
                Assert.True(serializer!.Serialize(state.State).ToArray().AsSpan().SequenceEqual(stored[key]), $"{round} round: the stored payload of {key} ({state.State!.Length} characters) is not the storage serializer's bytes");
                var read = new GrainState<string>();
                await storage.ReadStateAsync(StateName, GrainId.Create("test", key), read);
                Assert.Equal(state.State, read.State);
            }
        }
    }

    private async Task<long> WaitingOnLocksAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%UPDATE OrleansStorage%'", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
