using Federation.Silo.Postgres;
using Federation.Testing;
using Microsoft.Extensions.Logging;
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

    [Fact]
    public async Task MigrateAsync_MigrationRaisesNotice_LoggedAndReportedWithTheMigrationsName()
    {
        var dataSource = await CreateDatabaseAsync("notice");
        var database = new NpgsqlConnectionStringBuilder(_connectionStrings[dataSource]).Database;
        var log = new CapturedLog();
        MigrationScript[] scripts = [MigrationScript.Create("0001_notice.sql", "DO $$ BEGIN RAISE NOTICE 'something %', 1; END $$;")];

        var report = await new SchemaMigrator(dataSource, log, scripts).MigrateAsync(Ct);

        Assert.Equal([$"Information 5 Migration 0001_notice.sql on database {database} raised NOTICE 00000: something 1"], log.Notices);
        Assert.Equal([new MigrationNotice("0001_notice.sql", "NOTICE", "00000", "something 1", null, null)], report.Notices);

        // A run with nothing to apply has nothing to say (schema_version "already exists, skipping" is the migrator's own).
        var second = await new SchemaMigrator(dataSource, log, scripts).MigrateAsync(Ct);

        Assert.Single(log.Notices);
        Assert.Empty(second.Notices);
    }

    [Fact]
    public async Task MigrateAsync_MigrationRaisesWarningDebugAndLog_WarningLoggedAsWarningWithHintDebugAndLogIgnored()
    {
        var dataSource = await CreateDatabaseAsync("warning");
        var database = new NpgsqlConnectionStringBuilder(_connectionStrings[dataSource]).Database;
        var log = new CapturedLog();
        MigrationScript[] scripts =
        [
            MigrationScript.Create("0001_quiet.sql", "SELECT 1;"),
            MigrationScript.Create("0002_warning.sql", """
                SET LOCAL client_min_messages = debug1;
                DO $$
                BEGIN
                    RAISE DEBUG 'debug is not logged';
                    RAISE LOG 'log is not logged';
                    RAISE WARNING 'values stay compressed with pglz' USING HINT = 'install a server built with lz4';
                    RAISE INFO 'info is logged';
                END
                $$;
                """),
        ];

        var report = await new SchemaMigrator(dataSource, log, scripts).MigrateAsync(Ct);

        Assert.Equal(
            [$"Warning 5 Migration 0002_warning.sql on database {database} raised WARNING 01000: values stay compressed with pglz (hint: install a server built with lz4)",
             $"Information 5 Migration 0002_warning.sql on database {database} raised INFO 00000: info is logged"],
            log.Notices);
        Assert.Equal(["WARNING", "INFO"], report.Notices.Select(n => n.Severity));
        Assert.Equal([1, 2], report.Applied);
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

    /// <summary>The migrator's log lines, as "level event-id message".</summary>
    private sealed class CapturedLog : ILogger<SchemaMigrator>
    {
        private readonly List<string> _written = [];

        /// <summary>The lines of the notice event (id 5).</summary>
        public IReadOnlyList<string> Notices
        {
            get
            {
                lock (_written)
                {
                    return [.. _written.Where(l => l.Split(' ')[1] == "5")];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_written)
            {
                _written.Add($"{logLevel} {eventId.Id} {formatter(state, exception)}");
            }
        }
    }
}
