using System.Collections.Immutable;
using System.Net;
using System.Text.Json.Nodes;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Grains.Catalogue.Index;
using Federation.Grains.Execution.Ledger;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Federation.Silo.Tests;

/// <summary>The capacity ledger: its entries survive a silo restart on PostgreSQL, an empty ledger is rebuilt from the node records, and node grains tell it what changes.</summary>
public sealed class CapacityLedgerPersistenceTests : IAsyncLifetime
{
    private static readonly AcceleratorSlug H100 = TypedId.Parse<AcceleratorSlug>("h100-sxm");

    private PostgresTestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync(nameof(CapacityLedgerPersistenceTests));

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Ledger_SiloRestarted_KeepsItsEntries_AndTheNodesApiShowsThem()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            await RegisterUpAsync(silo, "ledger-node", ct);
            var taken = await Ledger(silo).AllocateAsync("exec-DE/job-ledger/1", H100, 3);

            Assert.Equal(new Dictionary<string, int> { ["ledger-node"] = 3 }, taken!);
            Assert.Null(await Ledger(silo).AllocateAsync("exec-DE/job-other/1", H100, 2));
        }

        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            var held = await Ledger(silo).HoldingsAsync(["ledger-node"]);
            Assert.Equal(("exec-DE/job-ledger/1", 3), (Assert.Single(held["ledger-node"]).Holder, held["ledger-node"][0].Count));
            var node = await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/nodes/ledger-node", ct), HttpStatusCode.OK);
            Assert.Equal("exec-DE/job-ledger/1", node["allocations"]![0]!["holder"]!.GetValue<string>());
            var listed = await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/nodes?accelerator=h100-sxm", ct), HttpStatusCode.OK);
            Assert.Equal(3, listed["items"]![0]!["allocations"]![0]!["count"]!.GetValue<int>());

            var refused = await Http.ExpectProblemAsync(await silo.Client.DeleteAsync("/api/v1/nodes/ledger-node", ct), HttpStatusCode.Conflict);
            Assert.Contains("has 3 accelerators allocated (exec-DE/job-ledger/1); drain it and wait for them to finish", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);

            await Ledger(silo).ReleaseAsync("exec-DE/job-ledger/1");
            Assert.Equal(HttpStatusCode.NoContent, (await silo.Client.DeleteAsync("/api/v1/nodes/ledger-node", ct)).StatusCode);
            Assert.Empty(await Ledger(silo).HoldingsAsync(["ledger-node"]));
            Assert.DoesNotContain((await Ledger(silo).SnapshotAsync()).Agents, a => a.Slug == H100 && a.Total > 0);
        }
    }

    [Fact]
    public async Task Ledger_NoStoredState_IsRebuiltFromTheNodeRecordsAllocations()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            await RegisterUpAsync(silo, "legacy-node", ct);

            // A node record as written before the ledger existed: the allocations on the node itself.
            var record = (await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IGpuNodeGrain>("node-legacy-node").GetAsync())!;
            var legacy = record with
            {
                Allocations = [new Allocation("exec-DE/job-old/1", 2, record.UpdatedAt), new Allocation("exec-FR/job-own/1", 1, record.UpdatedAt)],
                Version = record.Version + 1,
            };
            await silo.Services.GetRequiredService<ICatalogueIndex>().UpsertNodeAsync(legacy, ct);
        }

        await _database.ExecuteAsync("DELETE FROM orleansstorage WHERE graintypestring = 'capacity-ledger'");

        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            var held = (await Ledger(silo).HoldingsAsync(["legacy-node"]))["legacy-node"];
            Assert.Equal(["exec-DE/job-old/1", "exec-FR/job-own/1"], held.Select(a => a.Holder));
            Assert.Equal([2, 1], held.Select(a => a.Count));
            Assert.Equal(1L, await _database.ScalarAsync("SELECT count(*) FROM orleansstorage WHERE graintypestring = 'capacity-ledger'"));
        }
    }

    [Fact]
    public async Task Ledger_ManyAllocationsAtOnce_ShareWrites_AndAllSurviveARestart()
    {
        var ct = TestContext.Current.CancellationToken;
        const int Holders = 48;
        long version;
        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            // Twelve nodes of four: room for every holder.
            for (var i = 0; i < Holders / 4; i++)
            {
                await RegisterUpAsync(silo, $"busy-node-{i:D2}", ct);
            }

            var before = await _database.ScalarAsync("SELECT version FROM orleansstorage WHERE graintypestring = 'capacity-ledger'");
            var taken = await Task.WhenAll(Enumerable.Range(0, Holders).Select(i => Ledger(silo).AllocateAsync($"exec-DE/job-busy-{i:D2}/1", H100, 1)));
            Assert.All(taken, t => Assert.Equal(1, Assert.Single(t!).Value));
            Assert.Equal((0, Holders), await H100Async(silo));

            // Changes made while a write is in flight ride on the next one: far fewer writes than allocations.
            version = await _database.ScalarAsync("SELECT version FROM orleansstorage WHERE graintypestring = 'capacity-ledger'");
            Assert.True(version - before < Holders / 2, $"{Holders} allocations at once took {version - before} ledger writes");
        }

        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            Assert.Equal((0, Holders), await H100Async(silo));
            var held = await Ledger(silo).HoldingsAsync([.. Enumerable.Range(0, Holders / 4).Select(i => $"busy-node-{i:D2}")]);
            Assert.Equal(Holders, held.Values.Sum(h => h.Length));
        }
    }

    [Fact]
    public async Task Ledger_StoredInTheFormBeforePacking_IsReadByThisBuild_AndWrittenBackPacked()
    {
        var ct = TestContext.Current.CancellationToken;
        byte[] oldForm;
        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            await RegisterUpAsync(silo, "old-form-node", ct);
            Assert.NotNull(await Ledger(silo).AllocateAsync("exec-FR/job-before/1", H100, 1));
            Assert.IsType<PackedCapacityLedgerState>(await StoredAsync(silo));

            // The ledger as a build before packing wrote it: nodes and entries as the serializer's own records.
            var since = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
            var old = new CapacityLedgerState
            {
                Nodes = ImmutableSortedDictionary.Create<string, LedgerNode>(StringComparer.Ordinal).Add("old-form-node", new LedgerNode("old-form-node", H100, 4, NodeState.Up)),
                Entries = ImmutableSortedDictionary.Create<string, LedgerEntry>(StringComparer.Ordinal).Add(
                    "exec-DE/job-old/1",
                    new LedgerEntry("exec-DE/job-old/1", "agents", H100, 2, ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal).Add("old-form-node", 2), true, since)),
            };
            oldForm = Serializer(silo).Serialize(old).ToArray();
        }

        Assert.Equal(1, await _database.SetGrainPayloadAsync("capacity-ledger", oldForm, TestContext.Current.CancellationToken));

        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString))
        {
            var held = Assert.Single((await Ledger(silo).HoldingsAsync(["old-form-node"]))["old-form-node"]);
            Assert.Equal(("exec-DE/job-old/1", 2), (held.Holder, held.Count));
            Assert.Equal(2, (await Ledger(silo).SnapshotAsync()).ForeignHeld);
            Assert.Equal((2, 4), await H100Async(silo));
            Assert.IsType<CapacityLedgerState>(await StoredAsync(silo), exactMatch: true);

            Assert.NotNull(await Ledger(silo).AllocateAsync("exec-FR/job-after/1", H100, 2));
            Assert.Equal(2, LedgerPacking.Unpack(Assert.IsType<PackedCapacityLedgerState>(await StoredAsync(silo)).Packed).Entries.Count);
        }

        // Before a rollback to a build from before packing: the old form is written again.
        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString, new Dictionary<string, string?> { ["Federation:Executor:PackLedger"] = "false" }))
        {
            var held = (await Ledger(silo).HoldingsAsync(["old-form-node"]))["old-form-node"];
            Assert.Equal(["exec-DE/job-old/1", "exec-FR/job-after/1"], held.Select(a => a.Holder));
            Assert.Equal((0, 4), await H100Async(silo));

            await Ledger(silo).ReleaseAsync("exec-FR/job-after/1");
            var stored = Assert.IsType<CapacityLedgerState>(await StoredAsync(silo), exactMatch: true);
            Assert.Equal(["exec-DE/job-old/1"], stored.Entries.Keys);
            Assert.Equal(["old-form-node"], stored.Nodes.Keys);
        }
    }

    [Fact]
    public async Task NodeGrain_TellsTheLedger_WhenItComesUp_Drains_AndIsDeleted_NotOnEveryHeartbeat()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var silo = await SiloUnderTest.StartEmbeddedAsync();
        await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("told-node", leaseSeconds: 600)), ct), HttpStatusCode.Created);
        Assert.Equal((0, 0), await H100Async(silo));

        await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes/told-node/heartbeat", Payloads.Json(new JsonObject()), ct), HttpStatusCode.OK);
        Assert.Equal((4, 4), await H100Async(silo));
        Assert.NotNull(await Ledger(silo).AllocateAsync("exec-FR/job-told/1", H100, 1));
        await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes/told-node/heartbeat", Payloads.Json(new JsonObject()), ct), HttpStatusCode.OK);
        Assert.Equal((3, 4), await H100Async(silo));

        await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes/told-node:drain", Payloads.Json(new JsonObject { ["draining"] = true }), ct), HttpStatusCode.OK);
        Assert.Equal((0, 4), await H100Async(silo));

        await Ledger(silo).ReleaseAsync("exec-FR/job-told/1");
        Assert.Equal(HttpStatusCode.NoContent, (await silo.Client.DeleteAsync("/api/v1/nodes/told-node", ct)).StatusCode);
        Assert.Equal((0, 0), await H100Async(silo));
    }

    private static async Task<(int Free, int Total)> H100Async(SiloUnderTest silo) =>
        (await Ledger(silo).SnapshotAsync()).Agents.FirstOrDefault(a => a.Slug == H100) is { } line ? (line.Free, line.Total) : (0, 0);

    private static OrleansGrainStorageSerializer Serializer(SiloUnderTest silo) => ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(silo.Services);

    /// <summary>The ledger's row as stored, read with the storage's own serializer.</summary>
    private async Task<CapacityLedgerState> StoredAsync(SiloUnderTest silo) =>
        Serializer(silo).Deserialize<CapacityLedgerState>(new BinaryData(Assert.Single(await _database.GrainPayloadsAsync("capacity-ledger", TestContext.Current.CancellationToken)).Value))!;

    private static ICapacityLedgerGrain Ledger(SiloUnderTest silo) =>
        silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ICapacityLedgerGrain>(ICapacityLedgerGrain.Agents);

    private static async Task RegisterUpAsync(SiloUnderTest silo, string id, CancellationToken ct)
    {
        await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node(id, leaseSeconds: 600)), ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await silo.Client.PostAsync($"/api/v1/nodes/{id}/heartbeat", Payloads.Json(new JsonObject()), ct), HttpStatusCode.OK);
    }
}
