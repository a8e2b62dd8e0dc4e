using System.Text.Json;
using Federation.Silo.Postgres;
using Federation.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Federation.Postgres.Tests.Migrations;

/// <summary>
/// Migration 0003 (the job read model) on a database that a build knowing only 0001-0002 migrated,
/// and the indexes it adds serving the job list.
/// </summary>
public sealed class JobsMigrationTests : IAsyncLifetime
{
    private PostgresTestDatabase? _database;
    private NpgsqlDataSource? _dataSource;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("InitializeAsync has not run.");

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync("jobs-migration");
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Migrate_DatabaseAtVersion2WithData_Applies3To5AndRecordsThem()
    {
        await MigrateAsThePreviousBuildAsync();
        await ExecuteAsync("""
            INSERT INTO catalogue_datasets (key, version, status, licence, visibility, search_text, document)
            VALUES ('kept', 1, 'active', 'MIT', 'public', 'kept', '{}')
            """);
        var migrator = new SchemaMigrator(DataSource, NullLogger<SchemaMigrator>.Instance);

        var report = await migrator.MigrateAsync(Ct);

        var script = MigrationScript.LoadEmbedded(typeof(SchemaMigrator).Assembly).Single(s => s.Version == 3);
        Assert.Equal("0003_jobs.sql", script.Name);
        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], report.Applied);
        Assert.Equal([1, 2], report.AlreadyPresent);
        Assert.Equal(16, report.CurrentVersion);
        Assert.Equal(16, migrator.LatestVersion);
        Assert.Equal(
            ["1 0001_orleans.sql", "2 0002_catalogue.sql", $"3 0003_jobs.sql {script.Checksum}", "4 0004_dead_letters.sql", "5 0005_leases.sql", "6 0006_transparency_log.sql", "7 0007_people.sql", "8 0008_data_access_grants.sql", "9 0009_roster_versions.sql", "10 0010_peer_heads.sql", "11 0011_transparency_subtree.sql", "12 0012_model_artifacts.sql", "13 0013_usage_ledger.sql", "14 0014_usage_ledger_release.sql", "15 0015_usage_ledger_settled.sql", "16 0016_lz4_compression.sql"],
            await ListAsync("SELECT version || ' ' || name || CASE WHEN version = 3 THEN ' ' || checksum ELSE '' END FROM schema_version ORDER BY version"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM catalogue_datasets"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM job"));
        Assert.Equal(16, await migrator.VerifyAsync(Ct));
    }

    [Fact]
    public async Task Migrate_Fresh_JobTableWithKeyAndFilterIndexes()
    {
        await new SchemaMigrator(DataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(Ct);

        Assert.Equal(
            ["job_nation", "job_owner", "job_pkey", "job_state"],
            await ListAsync("SELECT indexname FROM pg_indexes WHERE tablename = 'job' ORDER BY indexname"));
        Assert.Equal(
            ["document jsonb NO", "id text NO", "nation text YES", "owner_user text NO", "state text NO",
             "submitted_at timestamp with time zone NO", "updated_at timestamp with time zone NO", "version integer NO"],
            await ListAsync("SELECT column_name || ' ' || data_type || ' ' || is_nullable FROM information_schema.columns WHERE table_name = 'job' ORDER BY column_name"));
        Assert.Equal("C", await ScalarAsync<string>("SELECT collation_name FROM information_schema.columns WHERE table_name = 'job' AND column_name = 'id'"));
        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("""
            INSERT INTO job (id, version, state, owner_user, submitted_at, updated_at, document)
            VALUES ('FR/x', 1, 'unknown', 'alice', now(), now(), '{}')
            """));
    }

    [Theory]
    [InlineData("state = 'running'", null)]
    [InlineData("nation = 'SE'", null)]
    [InlineData("owner_user = 'user-3'", null)]
    [InlineData("state = 'queued'", "job_state")]
    [InlineData("nation = 'DE'", "job_nation")]
    [InlineData("owner_user = 'rare@example.org'", "job_owner")]
    public async Task ListQuery_Filter_ServedByAnIndex(string filter, string? rareValueIndex)
    {
        await new SchemaMigrator(DataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(Ct);
        // 20000 jobs: a fifth running, a fifth in SE, a fifth of user-3; a few queued, in DE, of one rare owner.
        await ExecuteAsync("""
            INSERT INTO job (id, version, state, owner_user, nation, submitted_at, updated_at, document)
            SELECT 'FR/job-' || lpad(i::text, 5, '0'), 1,
                   CASE WHEN i % 5 = 0 THEN 'running' WHEN i % 500 = 1 THEN 'queued' ELSE 'succeeded' END,
                   CASE WHEN i % 500 = 2 THEN 'rare@example.org' WHEN i % 5 = 3 THEN 'user-3' ELSE 'user-' || (i % 4) END,
                   CASE WHEN i % 5 = 1 THEN 'SE' WHEN i % 500 = 4 THEN 'DE' END,
                   now(), now(), '{}'
            FROM generate_series(1, 20000) AS i;
            ANALYZE job;
            """);

        var plan = await ScalarAsync<string>(
            $"EXPLAIN (FORMAT JSON) SELECT id, document::text FROM job WHERE {filter} AND id > 'FR/job-00100' ORDER BY id LIMIT 51");

        var nodes = Nodes(JsonDocument.Parse(plan).RootElement[0].GetProperty("Plan")).ToList();
        Assert.DoesNotContain(nodes, n => n.GetProperty("Node Type").GetString() == "Seq Scan");
        if (rareValueIndex is null)
        {
            // Many matches: the page is read in key order from the cursor (by the filter's index or
            // the key), never collected and sorted.
            Assert.DoesNotContain(nodes, n => n.GetProperty("Node Type").GetString() == "Sort");
        }
        else
        {
            // Few matches: the filter's index finds them (sorting a handful is then the cheap way).
            Assert.Contains(nodes, n => n.TryGetProperty("Index Name", out var name) && name.GetString() == rareValueIndex);
        }
    }

    /// <summary>What a build that knew only 0001 and 0002 left: those scripts and their rows.</summary>
    private async Task MigrateAsThePreviousBuildAsync()
    {
        await ExecuteAsync("""
            CREATE TABLE schema_version
            (
                version    integer     NOT NULL PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """);
        foreach (var script in MigrationScript.LoadEmbedded(typeof(SchemaMigrator).Assembly).Where(s => s.Version <= 2))
        {
            await ExecuteAsync(script.Sql);
            await using var record = DataSource.CreateCommand("INSERT INTO schema_version (version, name, checksum) VALUES (@version, @name, @checksum)");
            record.Parameters.AddWithValue("version", script.Version);
            record.Parameters.AddWithValue("name", script.Name);
            record.Parameters.AddWithValue("checksum", script.Checksum);
            await record.ExecuteNonQueryAsync(Ct);
        }
    }

    private static IEnumerable<JsonElement> Nodes(JsonElement node)
    {
        yield return node;
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray().SelectMany(Nodes))
            {
                yield return child;
            }
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }

    private async Task<List<string>> ListAsync(string sql)
    {
        var values = new List<string>();
        await using var command = DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
