using System.Net;
using System.Text.Json.Nodes;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Shares;
using Federation.Protocol.Usage;
using Federation.Silo.Postgres;
using Federation.Silo.Shares;
using Federation.Testing;
using Npgsql;

namespace Federation.Silo.Tests.Shares;

/// <summary>
/// Every silo of a nation keeps the usage ledger in memory: what another silo records on the same database (a charge, the
/// run's release, a peer's report it accepted) reaches this silo's held counts, usage and reported table within seconds,
/// and counts once. The other silo is played by a second store on the same PostgreSQL database.
/// </summary>
public sealed class UsageLedgerSharingTests : IAsyncLifetime
{
    private static readonly TimeSpan s_wait = ShareLedgerService.RefreshEvery * 6;
    private PostgresTestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync(nameof(UsageLedgerSharingTests));

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private static async Task<JsonObject> SharesAsync(SiloUnderTest silo, CancellationToken ct) =>
        (JsonObject)await Http.ExpectAsync(await silo.Client.GetAsync("/api/v1/shares", ct), HttpStatusCode.OK);

    private static JsonNode Line(JsonObject view, string table, string name) =>
        view[table]!.AsArray().SingleOrDefault(n => n!["name"]!.GetValue<string>() == name) ?? new JsonObject { ["held"] = 0, ["usage"] = 0.0 };

    [Fact]
    public async Task AnotherSilosChargeReleaseAndReport_ReachThisSilo_AndCountOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString);
        await using var otherSilosDatabase = NpgsqlDataSource.Create(_database.ConnectionString);
        var other = new PostgresUsageLedgerStore(otherSilosDatabase);
        var before = await SharesAsync(silo, ct);
        Assert.Equal(0, Line(before, "consortia", "climate")["held"]!.GetValue<int>());

        var now = DateTimeOffset.UtcNow;
        var charge = new StoredCharge(new UsageCharge("DE/elsewhere-1#1", new UsageAccount("DE", "climate", JobTier.Standard), 12, 3, now, now.AddHours(4)), "uni:bob", null, Borrowed: true);
        Assert.True(await other.ChargeAsync(charge, ct));

        var charged = await Eventually.WaitAsync(() => SharesAsync(silo, ct), v => Line(v, "consortia", "climate")["held"]!.GetValue<int>() == 3, s_wait,
            "the other silo's charge counted as held here (climate holds 3)", TimeSpan.FromMilliseconds(500));
        var de = Line(charged, "nations", "DE");
        Assert.Equal((3, 3), (de["held"]!.GetValue<int>(), de["borrowed"]!.GetValue<int>()));
        Assert.Equal(12, de["usage"]!.GetValue<double>(), tolerance: 1e-2);

        // The run ended there having used 4 of its 12 acc-h.
        Assert.NotNull(await other.ReleaseAsync(charge.Charge.Key, DateTimeOffset.UtcNow, 4, ct));
        var released = await Eventually.WaitAsync(() => SharesAsync(silo, ct), v => Line(v, "consortia", "climate")["held"]!.GetValue<int>() == 0, s_wait,
            "the other silo's release seen here (climate holds 0)", TimeSpan.FromMilliseconds(500));
        // Charged what it used; the read that saw the release read the charge again too (both within its reach): settled once.
        Assert.Equal(4, Line(released, "nations", "DE")["usage"]!.GetValue<double>(), tolerance: 1e-2);

        var report = new UsageReport("SE", 1, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(-1), [new UsageReportLine("DE", "", 2.5)]);
        Assert.True(await other.KeepReportAsync(new SignedUsageReport(report, "key", "signature"), DateTimeOffset.UtcNow, ct));
        var reported = await Eventually.WaitAsync(() => SharesAsync(silo, ct), v => v["reported"]!.AsArray().Count == 1, s_wait,
            "the report the other silo accepted listed here", TimeSpan.FromMilliseconds(500));
        var line = reported["reported"]!.AsArray().Single()!;
        Assert.Equal(("SE", "DE"), (line["reporter"]!.GetValue<string>(), line["nation"]!.GetValue<string>()));
        Assert.Equal(2.5, line["usage"]!.GetValue<double>(), tolerance: 1e-2);
    }
}
