using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Grains.Diagnostics;
using Federation.Grains.Execution.Ledger;
using Federation.Grains.Nations;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Federation.Silo.Tests;

/// <summary>
/// A run that ends while the capacity ledger does not answer (its row cannot be read: a silo going, a
/// damaged row) still gives its accelerators back: the release is asked again until the ledger answers,
/// instead of being lost with the first failure (the accelerators then stayed held for good).
/// </summary>
public sealed class LedgerOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private static readonly Dictionary<string, string?> s_settings = new() { ["Federation:Executor:SecondsPerEstimatedHour"] = "1", ["Federation:Peering:Workloads:0"] = "demo-train@1.0" };
    private PostgresTestDatabase _database = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync(nameof(LedgerOutageTests));

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task RunEnds_WhileTheLedgerCannotBeRead_ItsAcceleratorsAreGivenBackOnceItCanBe()
    {
        string local;
        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString, s_settings))
        {
            local = silo.Services.GetRequiredService<LocalNation>().Code.Value;
            await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("outage-node", leaseSeconds: 600)), Ct), HttpStatusCode.Created);
            await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes/outage-node/heartbeat", Payloads.Json(new JsonObject()), Ct), HttpStatusCode.OK);
            await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/jobs", Payloads.Json(Shares.EmbeddedOffers.LongSpec("outage-run", 4)), Ct), HttpStatusCode.Created);
            await WaitForAsync("the run holds the node's 4 accelerators", async () => await StateAsync(silo, local) == "running");
            Assert.Equal(0, await FreeAsync(silo));
        }

        // The next silo finds a ledger row it cannot read (the format of a build it does not know).
        var good = await RowAsync();
        await using (var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString, s_settings))
        {
            var unreadable = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(silo.Services)
                .Serialize<CapacityLedgerState>(new PackedCapacityLedgerState { Packed = [9] }).ToArray();
            await SetRowAsync(unreadable);
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => FreeAsync(silo));
            Assert.Contains("The stored capacity ledger cannot be read: format 9", failure.ToString(), StringComparison.Ordinal);

            await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/jobs/outage-run:cancel", Payloads.Json(new JsonObject { ["reason"] = "ends during the outage" }), Ct), HttpStatusCode.OK);

            // The outage lasts 3 s after the cancellation (a ledger moving to another silo takes about that): the run's
            // release is asked during it, and its ending is written only after the release (then the bill).
            await Task.Delay(TimeSpan.FromSeconds(3), Ct);
            await Assert.ThrowsAnyAsync<Exception>(() => FreeAsync(silo));
            Assert.Equal("running", await StateAsync(silo, local));
            await SetRowAsync(good);

            var state = "";
            await WaitForAsync("the run is stopped", async () => (state = await StateAsync(silo, local)) == "cancelled", () => $"state {state}");
            await WaitForAsync("the run's accelerators are free again once the ledger can be read", async () => await FreeAsync(silo) == 4);
        }
    }

    [Fact]
    public async Task ReleaseLost_TheLedgersAudit_GivesBackWhatAnEndedRunStillHolds_AndKeepsWhatALiveRunHolds()
    {
        var settings = new Dictionary<string, string?>(s_settings) { ["Federation:Executor:LedgerAuditSeconds"] = "1" };
        var released = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FederationMetrics.MeterName && instrument.Name == "federation.capacity.audit.released")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref released, value));
        listener.Start();
        await using var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString, settings);
        var local = silo.Services.GetRequiredService<LocalNation>().Code.Value;
        var ledger = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ICapacityLedgerGrain>(ICapacityLedgerGrain.Agents);
        await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("audit-node", leaseSeconds: 600)), Ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes/audit-node/heartbeat", Payloads.Json(new JsonObject()), Ct), HttpStatusCode.OK);
        foreach (var job in new[] { "audit-ended", "audit-live" })
        {
            await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/jobs", Payloads.Json(Shares.EmbeddedOffers.LongSpec(job, 2)), Ct), HttpStatusCode.Created);
            await WaitForAsync($"{job} runs", async () => await StateAsync(silo, local, job) == "running");
        }

        await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/jobs/audit-ended:cancel", Payloads.Json(new JsonObject { ["reason"] = "ends" }), Ct), HttpStatusCode.OK);
        await WaitForAsync("audit-ended is cancelled", async () => await StateAsync(silo, local, "audit-ended") == "cancelled");
        await WaitForAsync("audit-ended gives its accelerators back", async () => await FreeAsync(silo) == 2);

        // Its release lost: the ledger holds its entry again, as if the release had never come.
        var ended = $"exec-{local}/audit-ended/1";
        Assert.NotNull(await ledger.AllocateAsync(ended, TypedId.Parse<AcceleratorSlug>("h100-sxm"), 2));
        Assert.Equal(0, await FreeAsync(silo));

        await WaitForAsync("the ledger's audit gives back what the ended run still held", async () => await FreeAsync(silo) == 2);
        Assert.True(Interlocked.Read(ref released) >= 1, "the release was counted in federation.capacity.audit.released");
        var held = (await ledger.HoldingsAsync(["audit-node"]))["audit-node"];
        Assert.Equal([$"exec-{local}/audit-live/1"], held.Select(h => h.Holder));

        // The live run's entry, old enough to be asked about, stays through the next rounds.
        Assert.Equal(0, await ledger.AuditHoldersAsync());
        Assert.Equal(0, await ledger.AuditHoldersAsync());
        Assert.Equal("running", await StateAsync(silo, local, "audit-live"));
        Assert.Equal(2, Assert.Single((await ledger.HoldingsAsync(["audit-node"]))["audit-node"]).Count);
    }

    [Fact]
    public async Task AllocationAnswerLost_TheRunWaitingForAccelerators_GetsTheOnesItHeldUnknowingly()
    {
        await using var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString, s_settings);
        var local = silo.Services.GetRequiredService<LocalNation>().Code.Value;
        var ledger = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ICapacityLedgerGrain>(ICapacityLedgerGrain.Agents);
        await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("stale-node", leaseSeconds: 600)), Ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/nodes/stale-node/heartbeat", Payloads.Json(new JsonObject()), Ct), HttpStatusCode.OK);

        // The run's allocation committed but its answer was lost: the ledger holds the node's 4 accelerators for it.
        var holder = $"exec-{local}/stale-run/1";
        Assert.NotNull(await ledger.AllocateAsync(holder, TypedId.Parse<AcceleratorSlug>("h100-sxm"), 4));
        Assert.Equal(0, await FreeAsync(silo));

        await Http.ExpectAsync(await silo.Client.PostAsync("/api/v1/jobs", Payloads.Json(Shares.EmbeddedOffers.LongSpec("stale-run", 4)), Ct), HttpStatusCode.Created);

        // Waiting for accelerators, it gives back what it held first and takes them again: it runs.
        var state = "";
        await WaitForAsync("the run starts on the accelerators it held unknowingly", async () => (state = await StateAsync(silo, local, "stale-run")) == "running", () => $"state {state}");
        var held = Assert.Single((await ledger.HoldingsAsync(["stale-node"]))["stale-node"]);
        Assert.Equal((holder, 4), (held.Holder, held.Count));
    }

    /// <summary>The execution's state; "not offered yet" while the job is on its way to it (routed, then offered).</summary>
    private static async Task<string> StateAsync(SiloUnderTest silo, string local, string job = "outage-run")
    {
        using var response = await silo.Client.GetAsync($"/api/v1/executions/{local}/{job}/1", Ct);
        return response.StatusCode == HttpStatusCode.NotFound
            ? "not offered yet"
            : (await Http.ExpectAsync(response, HttpStatusCode.OK))["state"]!.GetValue<string>();
    }

    private static async Task<int> FreeAsync(SiloUnderTest silo) =>
        (await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ICapacityLedgerGrain>(ICapacityLedgerGrain.Agents).SnapshotAsync()).Agents.Sum(a => a.Free);

    private static async Task WaitForAsync(string what, Func<Task<bool>> done, Func<string>? seen = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(deadline.Elapsed < s_wait, $"{what} within {s_wait.TotalSeconds} s{(seen is null ? "" : $" ({seen()})")}");
            await Task.Delay(100, Ct);
        }
    }

    private async Task<byte[]> RowAsync() => Assert.Single(await _database.GrainPayloadsAsync("capacity-ledger", Ct)).Value;

    private async Task SetRowAsync(byte[] payload) => Assert.Equal(1, await _database.SetGrainPayloadAsync("capacity-ledger", payload, Ct));
}
