using Federation.Contracts.Jobs;
using Federation.Grains.Jobs.Leases;
using Federation.Lifecycle.Shares;
using Federation.Postgres.Tests.Fixtures;
using Federation.Silo.Postgres;
using Federation.Silo.Shares;

namespace Federation.Postgres.Tests.Pipeline;

/// <summary>
/// The usage ledger's charges and releases on the silo's commit pipeline: issued with other writes
/// they share transactions, a charge counts once even when queued twice in one transaction, and the
/// first release of a run wins.
/// </summary>
public sealed class UsageLedgerPipelineTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly DateTimeOffset s_at = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ChargesIssuedWithLeaseWrites_ShareTransactions_AndEachIsKeptOnce()
    {
        var pipeline = new CommitPipeline(database.DataSource);
        var ledger = new PostgresUsageLedgerStore(database.DataSource, pipeline);
        var leases = new PostgresLeaseIndex(database.DataSource, pipeline);

        var charges = Enumerable.Range(0, 150).Select(i => ledger.ChargeAsync(Charge($"DE/together-{i:D3}#1"), Ct)).ToList();
        var leaseWrites = Enumerable.Range(0, 150).Select(i => leases.SetAsync(LeaseKey.Execution($"exec-DE/together-{i:D3}/1"), s_at, Ct)).ToList();
        Assert.All(await Task.WhenAll(charges), Assert.True);
        await Task.WhenAll(leaseWrites);

        Assert.Equal(150L, await CountAsync("SELECT count(*) FROM usage_charge WHERE charge_key LIKE 'DE/together-%'"));
        Assert.True(pipeline.Writes.Transactions < 300 / 4, $"{pipeline.Writes.Transactions} transactions for 300 writes");

        // Charged again (a redelivered offer): kept already, nothing new.
        Assert.False(await ledger.ChargeAsync(Charge("DE/together-007#1"), Ct));
        Assert.Equal(150L, await CountAsync("SELECT count(*) FROM usage_charge WHERE charge_key LIKE 'DE/together-%'"));
    }

    [Fact]
    public async Task TheSameChargeTwiceInOneTransaction_OnlyTheFirstWriteKeepsIt()
    {
        var pipeline = new CommitPipeline(database.DataSource);
        var ledger = new PostgresUsageLedgerStore(database.DataSource, pipeline);
        Task<bool> first, second, other;
        using (pipeline.Together())
        {
            first = ledger.ChargeAsync(Charge("DE/twice#1", hours: 2), Ct);
            other = ledger.ChargeAsync(Charge("DE/twice-other#1"), Ct);
            second = ledger.ChargeAsync(Charge("DE/twice#1", hours: 5), Ct);
        }

        Assert.Equal((true, true, false), (await first, await other, await second));
        Assert.Equal(1L, pipeline.Writes.Transactions);
        Assert.Equal(2.0, await ScalarAsync<double>("SELECT hours FROM usage_charge WHERE charge_key = 'DE/twice#1'"));
    }

    [Fact]
    public async Task Releases_TheFirstWinsWithItsUsedHours_AndAnUnknownRunIsNotReleased()
    {
        var pipeline = new CommitPipeline(database.DataSource);
        var ledger = new PostgresUsageLedgerStore(database.DataSource, pipeline);
        Assert.True(await ledger.ChargeAsync(Charge("DE/released#1"), Ct));
        Assert.True(await ledger.ChargeAsync(Charge("DE/released-unknown-use#1"), Ct));

        Task<UsageRelease?> early, late, unknown, noUse;
        using (pipeline.Together())
        {
            early = ledger.ReleaseAsync("DE/released#1", s_at.AddMinutes(10), 0.25, Ct);
            late = ledger.ReleaseAsync("DE/released#1", s_at.AddMinutes(20), 0.5, Ct);
            unknown = ledger.ReleaseAsync("DE/never-charged#1", s_at.AddMinutes(10), 0.25, Ct);
            noUse = ledger.ReleaseAsync("DE/released-unknown-use#1", s_at.AddMinutes(10), null, Ct);
        }

        Assert.Equal(new UsageRelease("DE/released#1", s_at.AddMinutes(10), 0.25), await early);
        Assert.Equal(new UsageRelease("DE/released#1", s_at.AddMinutes(10), 0.25), await late);
        Assert.Null(await unknown);
        Assert.Equal(new UsageRelease("DE/released-unknown-use#1", s_at.AddMinutes(10), null), await noUse);

        // Released again later, in a transaction of its own: the first release and its used hours stay in force.
        Assert.Equal(new UsageRelease("DE/released#1", s_at.AddMinutes(10), 0.25), await ledger.ReleaseAsync("DE/released#1", s_at.AddMinutes(30), 0.75, Ct));
        Assert.Equal(new UsageRelease("DE/released-unknown-use#1", s_at.AddMinutes(10), null), await ledger.ReleaseAsync("DE/released-unknown-use#1", s_at.AddMinutes(30), 0.75, Ct));
        var (kept, _) = await ledger.LoadAsync(Ct);
        var released = Assert.Single(kept, c => c.Charge.Key == "DE/released#1");
        Assert.Equal((s_at.AddMinutes(10), 0.25, 1.0, 0.25), (released.ReleasedAt, released.UsedHours, released.Charge.Hours, released.Counted.Hours));
        Assert.Equal(1.0, Assert.Single(kept, c => c.Charge.Key == "DE/released-unknown-use#1").Counted.Hours);
    }

    private static StoredCharge Charge(string key, double hours = 1) =>
        new(new UsageCharge(key, new UsageAccount("DE", "", JobTier.Standard), hours, 1, s_at, s_at.AddHours(hours)), "ada", null, Borrowed: false);

    private Task<long> CountAsync(string sql) => ScalarAsync<long>(sql);

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }
}
