using Federation.Postgres.Tests.Fixtures;
using Federation.Postgres.Tests.OrleansSql.Grains;
using Federation.Silo.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Federation.Postgres.Tests.OrleansSql;

/// <summary>
/// Our own Orleans SQL (migration 0001) under the real ADO.NET providers: a silo host with
/// PostgreSQL clustering, grain storage and reminders. Each test has its own ClusterId and
/// ServiceId, so tests sharing the class's database never see each other's rows.
/// </summary>
public sealed class OrleansSqlContractTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GrainState_WrittenThenHostRestarted_ReadBack()
    {
        var (clusterId, serviceId) = Ids();
        await using (var first = await StartAsync(clusterId, serviceId))
        {
            await first.Grains.GetGrain<IAlphaNoteGrain>("ds-restart").WriteAsync("kept across restarts");
            await first.Grains.GetGrain<IAlphaNoteGrain>("ds-restart").WriteAsync("second write");
        }

        await using var second = await StartAsync(clusterId, serviceId);
        Assert.Equal("second write", await second.Grains.GetGrain<IAlphaNoteGrain>("ds-restart").ReadAsync());
        Assert.Null(await second.Grains.GetGrain<IAlphaNoteGrain>("ds-never-written").ReadAsync());
    }

    [Fact]
    public async Task GrainState_TwoClassesSameKeyDistinctStateNames_KeptApart()
    {
        var (clusterId, serviceId) = Ids();
        await using (var first = await StartAsync(clusterId, serviceId))
        {
            await first.Grains.GetGrain<IAlphaNoteGrain>("ds-shared").WriteAsync("alpha");
            await first.Grains.GetGrain<IBetaNoteGrain>("ds-shared").WriteAsync("beta");
        }

        await using var second = await StartAsync(clusterId, serviceId);
        Assert.Equal("alpha", await second.Grains.GetGrain<IAlphaNoteGrain>("ds-shared").ReadAsync());
        Assert.Equal("beta", await second.Grains.GetGrain<IBetaNoteGrain>("ds-shared").ReadAsync());
    }

    [Fact]
    public async Task GrainState_HexLookingPrefixedStringKeys_KeptApart()
    {
        var (clusterId, serviceId) = Ids();
        await using (var first = await StartAsync(clusterId, serviceId))
        {
            await first.Grains.GetGrain<IAlphaNoteGrain>("ds-cafe").WriteAsync("cafe");
            await first.Grains.GetGrain<IAlphaNoteGrain>("ds-0cafe").WriteAsync("0cafe");
        }

        await using var second = await StartAsync(clusterId, serviceId);
        Assert.Equal("cafe", await second.Grains.GetGrain<IAlphaNoteGrain>("ds-cafe").ReadAsync());
        Assert.Equal("0cafe", await second.Grains.GetGrain<IAlphaNoteGrain>("ds-0cafe").ReadAsync());
        Assert.Equal(["ds-0cafe", "ds-cafe"], await ListKeysAsync(serviceId, AlphaNoteGrain.StateName));
    }

    [Fact]
    public async Task GrainStorage_TwoWritersWithSameETag_SecondRaisesInconsistentState()
    {
        var (clusterId, serviceId) = Ids();
        await using var host = await StartAsync(clusterId, serviceId);
        var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(OrleansSqlHost.StorageName);
        var grainId = GrainId.Create("fedtest-alpha-note", "ds-etag");
        await storage.WriteStateAsync(AlphaNoteGrain.StateName, grainId, Note("original", eTag: null));
        var writerA = await ReadAsync(storage, grainId);
        var writerB = await ReadAsync(storage, grainId);
        Assert.Equal(writerA.ETag, writerB.ETag);

        writerA.State = new NoteState { Text = "from A" };
        await storage.WriteStateAsync(AlphaNoteGrain.StateName, grainId, writerA);
        writerB.State = new NoteState { Text = "from B" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(AlphaNoteGrain.StateName, grainId, writerB));

        var stored = await ReadAsync(storage, grainId);
        Assert.Equal("from A", stored.State?.Text);
        Assert.Equal(writerA.ETag, stored.ETag);
        Assert.NotEqual(writerB.ETag, stored.ETag);
    }

    [Fact]
    public async Task GrainStorage_FirstWriteWhenRowExists_RaisesInconsistentState()
    {
        var (clusterId, serviceId) = Ids();
        await using var host = await StartAsync(clusterId, serviceId);
        var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(OrleansSqlHost.StorageName);
        var grainId = GrainId.Create("fedtest-alpha-note", "ds-double-activation");
        await storage.WriteStateAsync(AlphaNoteGrain.StateName, grainId, Note("winner", eTag: null));

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync(AlphaNoteGrain.StateName, grainId, Note("loser", eTag: null)));

        Assert.Equal("winner", (await ReadAsync(storage, grainId)).State?.Text);
    }

    [Fact]
    public async Task GrainStorage_ClearThenWrite_ClearedStateHiddenAndNextWriteSucceeds()
    {
        var (clusterId, serviceId) = Ids();
        await using var host = await StartAsync(clusterId, serviceId);
        var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(OrleansSqlHost.StorageName);
        var grainId = GrainId.Create("fedtest-alpha-note", "ds-clear");
        var state = Note("to clear", eTag: null);
        await storage.WriteStateAsync(AlphaNoteGrain.StateName, grainId, state);

        await storage.ClearStateAsync(AlphaNoteGrain.StateName, grainId, state);
        var afterClear = await ReadAsync(storage, grainId);
        var keysAfterClear = await ListKeysAsync(serviceId, AlphaNoteGrain.StateName);
        afterClear.State = new NoteState { Text = "rewritten" };
        await storage.WriteStateAsync(AlphaNoteGrain.StateName, grainId, afterClear);

        Assert.Empty(keysAfterClear);
        Assert.Equal("rewritten", (await ReadAsync(storage, grainId)).State?.Text);
        Assert.Equal(["ds-clear"], await ListKeysAsync(serviceId, AlphaNoteGrain.StateName));
    }

    [Fact]
    public async Task Reminder_Registered_ListedFromTableAndRemovedOnUnregister()
    {
        var (clusterId, serviceId) = Ids();
        await using var host = await StartAsync(clusterId, serviceId);
        var probe = host.Grains.GetGrain<IReminderProbeGrain>("job-reminder-probe");

        // Periods of an hour: the reminders must be stored and listed, not fire during the test.
        await probe.RegisterAsync("lease-backstop", TimeSpan.FromHours(1));
        await probe.RegisterAsync("audit-flush", TimeSpan.FromHours(2));
        await probe.RegisterAsync("lease-backstop", TimeSpan.FromHours(3));

        Assert.Equal(["audit-flush", "lease-backstop"], await probe.ListAsync());
        Assert.Equal(["audit-flush", "lease-backstop"], await SqlListAsync(
            "SELECT ReminderName FROM OrleansRemindersTable WHERE ServiceId = @p0 ORDER BY ReminderName", serviceId));
        Assert.Equal(["10800000"], await SqlListAsync(
            "SELECT Period::text FROM OrleansRemindersTable WHERE ServiceId = @p0 AND ReminderName = 'lease-backstop'", serviceId));

        await probe.UnregisterAsync("lease-backstop");

        Assert.Equal(["audit-flush"], await probe.ListAsync());
        Assert.Equal(["audit-flush"], await SqlListAsync(
            "SELECT ReminderName FROM OrleansRemindersTable WHERE ServiceId = @p0", serviceId));
    }

    [Fact]
    public async Task Membership_SiloStartsAndStops_RowActiveThenDeadAndVersionAdvances()
    {
        var (clusterId, serviceId) = Ids();
        var host = await StartAsync(clusterId, serviceId);
        try
        {
            Assert.Equal(["3"], await SqlListAsync("SELECT Status::text FROM OrleansMembershipTable WHERE DeploymentId = @p0", clusterId));
            var gateways = await SqlListAsync("SELECT ProxyPort::text FROM OrleansMembershipTable WHERE DeploymentId = @p0 AND ProxyPort > 0", clusterId);
            Assert.Single(gateways);
            await host.StopAsync(Ct);
        }
        finally
        {
            await host.DisposeAsync();
        }

        Assert.Equal(["6"], await SqlListAsync("SELECT Status::text FROM OrleansMembershipTable WHERE DeploymentId = @p0", clusterId));
        var version = int.Parse((await SqlListAsync("SELECT Version::text FROM OrleansMembershipVersionTable WHERE DeploymentId = @p0", clusterId))[0],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(version >= 3, $"membership version {version} should have advanced through insert, join and stop");
    }

    private static (string ClusterId, string ServiceId) Ids()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        return ($"nation-test-{suffix}", $"service-test-{suffix}");
    }

    private static GrainState<NoteState> Note(string text, string? eTag) =>
        new() { State = new NoteState { Text = text }, ETag = eTag };

    private static async Task<GrainState<NoteState>> ReadAsync(IGrainStorage storage, GrainId grainId)
    {
        var state = new GrainState<NoteState> { State = new NoteState() };
        await storage.ReadStateAsync(AlphaNoteGrain.StateName, grainId, state);
        return state;
    }

    private Task<OrleansSqlHost> StartAsync(string clusterId, string serviceId) =>
        OrleansSqlHost.StartAsync(database.ConnectionString, clusterId, serviceId, Ct);

    private async Task<List<string>> ListKeysAsync(string serviceId, string stateName)
    {
        var keys = new List<string>();
        await foreach (var key in new GrainStateKeys(database.DataSource).ListKeysAsync(serviceId, stateName, Ct))
        {
            keys.Add(key);
        }

        return keys;
    }

    private async Task<List<string>> SqlListAsync(string sql, string p0)
    {
        var values = new List<string>();
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("p0", p0);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
