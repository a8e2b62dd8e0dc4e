using Federation.Silo.Postgres;
using Federation.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Federation.Postgres.Tests.Migrations;

/// <summary>The migrator on fresh databases, one per test (the tests change the schema).</summary>
public sealed class SchemaMigratorTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _cleanup = [];
    private readonly Dictionary<NpgsqlDataSource, string> _connectionStrings = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MigrateAsync_FreshDatabase_AppliesAllAndReachesLatestVersion()
    {
        var dataSource = await CreateDatabaseAsync("fresh");
        var migrator = Migrator(dataSource);

        var report = await migrator.MigrateAsync(Ct);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], report.Applied);
        Assert.Empty(report.AlreadyPresent);
        Assert.Equal(16, migrator.LatestVersion);
        Assert.Equal(migrator.LatestVersion, report.CurrentVersion);
        Assert.Equal(migrator.LatestVersion, await migrator.GetCurrentVersionAsync(Ct));
        Assert.Equal(["0001_orleans.sql", "0002_catalogue.sql", "0003_jobs.sql", "0004_dead_letters.sql", "0005_leases.sql", "0006_transparency_log.sql", "0007_people.sql", "0008_data_access_grants.sql", "0009_roster_versions.sql", "0010_peer_heads.sql", "0011_transparency_subtree.sql", "0012_model_artifacts.sql", "0013_usage_ledger.sql", "0014_usage_ledger_release.sql", "0015_usage_ledger_settled.sql", "0016_lz4_compression.sql"], await ListAsync(dataSource, "SELECT name FROM schema_version ORDER BY version"));
        Assert.Equal(21L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM OrleansQuery"));
    }

    [Fact]
    public async Task MigrateAsync_FreshDatabase_LargeValuesOfTheJobPathCompressedWithLz4()
    {
        var dataSource = await CreateDatabaseAsync("lz4");
        await Migrator(dataSource).MigrateAsync(Ct);

        // pg_attribute.attcompression: 'l' for lz4, 'p' for pglz, '' for the server's default.
        Assert.Equal(["job.document l", "orleansstorage.payloadbinary l"], await ListAsync(dataSource, """
            SELECT c.relname || '.' || a.attname || ' ' || a.attcompression::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE (c.relname, a.attname) IN (('orleansstorage', 'payloadbinary'), ('job', 'document')) ORDER BY 1
            """));
        await using var write = dataSource.CreateCommand("""
            INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, ServiceId, PayloadBinary, Version)
            VALUES (1, 1, 1, 1, 'capacity-ledger', 'lz4', convert_to(repeat('running job entry ', 2000), 'UTF8'), 1)
            """);
        await write.ExecuteNonQueryAsync(Ct);
        Assert.Equal(["lz4"], await ListAsync(dataSource, "SELECT pg_column_compression(PayloadBinary) FROM OrleansStorage WHERE ServiceId = 'lz4'"));
    }

    [Fact]
    public async Task GetCurrentVersionAsync_NeverMigrated_ReturnsZero()
    {
        var dataSource = await CreateDatabaseAsync("empty");

        Assert.Equal(0, await Migrator(dataSource).GetCurrentVersionAsync(Ct));
    }

    [Fact]
    public async Task MigrateAsync_RunTwice_SecondAppliesNothing()
    {
        var dataSource = await CreateDatabaseAsync("twice");
        await Migrator(dataSource).MigrateAsync(Ct);

        var second = await Migrator(dataSource).MigrateAsync(Ct);

        Assert.Empty(second.Applied);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], second.AlreadyPresent);
        Assert.Equal(16L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM schema_version"));
    }

    [Fact]
    public async Task MigrateAsync_TwoSilosConcurrently_BothSucceedAndEachMigrationAppliedOnce()
    {
        var first = await CreateDatabaseAsync("concurrent");
        var second = NpgsqlDataSource.Create(_connectionStrings[first]);
        _cleanup.Add(second);

        var reports = await Task.WhenAll(
            Task.Run(() => Migrator(first).MigrateAsync(Ct), Ct),
            Task.Run(() => Migrator(second).MigrateAsync(Ct), Ct));

        var applied = reports.SelectMany(r => r.Applied).Order().ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], applied);
        Assert.All(reports, r => Assert.Equal(16, r.CurrentVersion));
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16"], await ListAsync(first, "SELECT version::text AS v FROM schema_version ORDER BY version"));
        Assert.Equal(21L, await ScalarAsync<long>(first, "SELECT count(*) FROM OrleansQuery"));
    }

    [Fact]
    public async Task MigrateAsync_AppliedMigrationChanged_RefusedNamingTheFile()
    {
        var dataSource = await CreateDatabaseAsync("tampered");
        await Migrator(dataSource).MigrateAsync(Ct);
        await ExecuteAsync(dataSource, "UPDATE schema_version SET checksum = repeat('0', 64) WHERE version = 1");

        var refused = await Assert.ThrowsAsync<SchemaMismatchException>(() => Migrator(dataSource).MigrateAsync(Ct));

        Assert.Equal("0001_orleans.sql", refused.MigrationName);
        Assert.Contains("0001_orleans.sql", refused.Message, StringComparison.Ordinal);
        Assert.Contains("changed", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_DatabaseNewerThanBuild_RefusedNamingTheMigration()
    {
        var dataSource = await CreateDatabaseAsync("newer");
        await Migrator(dataSource).MigrateAsync(Ct);
        await ExecuteAsync(dataSource, "INSERT INTO schema_version (version, name, checksum) VALUES (9999, '9999_future.sql', 'x')");

        var refused = await Assert.ThrowsAsync<SchemaMismatchException>(() => Migrator(dataSource).MigrateAsync(Ct));

        Assert.Equal("9999_future.sql", refused.MigrationName);
        Assert.Contains("newer than this build", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_MigratedThenTampered_ReturnsVersionThenRefuses()
    {
        var dataSource = await CreateDatabaseAsync("verify");
        Assert.Equal(0, await Migrator(dataSource).VerifyAsync(Ct));
        await Migrator(dataSource).MigrateAsync(Ct);
        Assert.Equal(16, await Migrator(dataSource).VerifyAsync(Ct));
        await ExecuteAsync(dataSource, "UPDATE schema_version SET checksum = 'x' WHERE version = 2");

        var refused = await Assert.ThrowsAsync<SchemaMismatchException>(() => Migrator(dataSource).VerifyAsync(Ct));

        Assert.Equal("0002_catalogue.sql", refused.MigrationName);
    }

    [Fact]
    public async Task MigrateAsync_RefusedRun_LeavesLockFreeForTheNextRun()
    {
        var dataSource = await CreateDatabaseAsync("unlock");
        await Migrator(dataSource).MigrateAsync(Ct);
        await ExecuteAsync(dataSource, "UPDATE schema_version SET checksum = 'x' WHERE version = 2");
        await Assert.ThrowsAsync<SchemaMismatchException>(() => Migrator(dataSource).MigrateAsync(Ct));

        var lockHolders = await ScalarAsync<long>(dataSource, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");

        Assert.Equal(0L, lockHolders);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        // Data sources first, then the databases they point at.
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
    }

    private static SchemaMigrator Migrator(NpgsqlDataSource dataSource) => new(dataSource, NullLogger<SchemaMigrator>.Instance);

    private async Task<NpgsqlDataSource> CreateDatabaseAsync(string purpose)
    {
        var database = await PostgresTestDatabase.CreateAsync(purpose);
        _cleanup.Add(database);
        var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        _cleanup.Add(dataSource);
        _connectionStrings[dataSource] = database.ConnectionString;
        return dataSource;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task<List<string>> ListAsync(NpgsqlDataSource dataSource, string sql)
    {
        var values = new List<string>();
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
