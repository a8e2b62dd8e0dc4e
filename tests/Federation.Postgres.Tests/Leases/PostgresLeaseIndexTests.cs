using Federation.Grains.Jobs.Leases;
using Federation.Postgres.Tests.Fixtures;
using Federation.Silo.Postgres;

namespace Federation.Postgres.Tests.Leases;

/// <summary>
/// The lease index contract against PostgreSQL, on a database of its own for this class, plus what
/// only the table can get wrong: writes of many grains share transactions, two sweeps never claim
/// the same entry, the kind is checked by the table. Each test empties the table first.
/// </summary>
public sealed class PostgresLeaseIndexTests(MigratedDatabase database) : LeaseIndexContractTests, IClassFixture<MigratedDatabase>
{
    private PostgresLeaseIndex? _postgres;

    protected override async ValueTask<ILeaseIndex> CreateEmptyIndexAsync()
    {
        await using var truncate = database.DataSource.CreateCommand("TRUNCATE lease");
        await truncate.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return _postgres = new PostgresLeaseIndex(database.DataSource);
    }

    [Fact]
    public async Task ManyGrainsWritingAtOnce_ShareTransactions()
    {
        await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Index.SetAsync(LeaseKey.Job($"DE/g{i}"), T0, Ct)));

        Assert.Equal(400, await CountAsync());
        Assert.Equal(400, _postgres!.Writes.Items);
        Assert.True(_postgres.Writes.Transactions < 400 / 4, $"{_postgres.Writes.Transactions} transactions for 400 writes");
    }

    [Fact]
    public async Task TwoSweepsAtOnce_NeverClaimTheSameEntry()
    {
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Index.SetAsync(LeaseKey.Execution($"exec-DE/s{i}/1"), T0.AddMilliseconds(-i), Ct)));
        var other = new PostgresLeaseIndex(database.DataSource);

        var claims = await Task.WhenAll(
            Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? Index : other).ClaimDueAsync(T0, T0.AddMinutes(1), 70, Ct)));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(300, all.Count + (await Index.ClaimDueAsync(T0, T0.AddMinutes(1), 1000, Ct)).Count);
    }

    [Fact]
    public async Task Table_RefusesAnUnknownKind()
    {
        await using var insert = database.DataSource.CreateCommand("INSERT INTO lease (kind, key, due) VALUES ('node', 'x', now())");

        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => insert.ExecuteNonQueryAsync(Ct));

        Assert.Equal("23514", refused.SqlState);
    }

    private async Task<long> CountAsync()
    {
        await using var command = database.DataSource.CreateCommand("SELECT count(*) FROM lease");
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
