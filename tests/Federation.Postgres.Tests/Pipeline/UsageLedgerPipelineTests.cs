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
    public async Task Releases_TheFirstWins_AndAnUnknownRunIsNotReleased()
    {
        var pipeline = new CommitPipeline(database.DataSource);
        var ledger = new PostgresUsageLedgerStore(database.DataSource, pipeline);
        Assert.True(await ledger.ChargeAsync(Charge("DE/released#1"), Ct));

        Task<DateTimeOffset?> early, late, unknown;
        using (pipeline.Together())
        {
            early = ledger.ReleaseAsync("DE/released#1", s_at.AddMinutes(10), Ct);
            late = ledger.ReleaseAsync("DE/released#1", s_at.AddMinutes(20), Ct);
            unknown = ledger.ReleaseAsync("DE/never-charged#1", s_at.AddMinutes(10), Ct);
        }

        Assert.Equal(s_at.AddMinutes(10), await early);
        Assert.Equal(s_at.AddMinutes(10), await late);
        Assert.Null(await unknown);

        // Released again later, in a transaction of its own: the first release stays in force.
        Assert.Equal(s_at.AddMinutes(10), await ledger.ReleaseAsync("DE/released#1", s_at.AddMinutes(30), Ct));
        var (kept, _) = await ledger.LoadAsync(Ct);
        Assert.Equal(s_at.AddMinutes(10), Assert.Single(kept, c => c.Charge.Key == "DE/released#1").ReleasedAt);
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
