using System.Diagnostics;
using Npgsql;

namespace Federation.Silo.Postgres;

/// <summary>
/// Brings a nation's PostgreSQL database to the schema of this build by applying the numbered
/// migration scripts embedded from <c>infra/postgres/migrations</c>, in order and forward only.
/// </summary>
/// <remarks>
/// Each migration runs in its own transaction together with its <c>schema_version</c> row, so a
/// failed script leaves nothing behind. The whole run holds a session-level
/// <c>pg_advisory_lock</c>, so silos starting together apply each migration once: the others wait,
/// then find it applied. The notices a script raises (<c>RAISE NOTICE</c>, <c>RAISE WARNING</c>) are
/// logged with the migration's name and listed in the <see cref="MigrationReport"/>. Every run also
/// verifies what is already applied and refuses (with <see cref="SchemaMismatchException"/>) a
/// migration whose text changed after it was applied, or a database that has a migration this build
/// does not know (a newer build migrated it).
/// </remarks>
public sealed partial class SchemaMigrator
{
    // Arbitrary but fixed ("FEDSCHEM" in ASCII); advisory locks are scoped to one database.
    private const long AdvisoryLockKey = 0x4645_4453_4348_454D;

    private const string CreateVersionTableSql = """
        CREATE TABLE IF NOT EXISTS schema_version
        (
            version    integer     NOT NULL PRIMARY KEY,
            name       text        NOT NULL,
            checksum   text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<SchemaMigrator> _logger;
    private readonly IReadOnlyList<MigrationScript> _scripts;

    /// <summary>Creates a migrator for the database behind <paramref name="dataSource"/>.</summary>
    public SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
        : this(dataSource, logger, LoadEmbedded())
    {
    }

    /// <summary>Creates a migrator that applies <paramref name="scripts"/> instead of the embedded migrations (for tests).</summary>
    internal SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger, IReadOnlyList<MigrationScript> scripts)
    {
        if (scripts.Count == 0)
        {
            throw new ArgumentException("At least one migration is needed.", nameof(scripts));
        }

        _dataSource = dataSource;
        _logger = logger;
        _scripts = [.. scripts.OrderBy(s => s.Version)];
    }

    /// <summary>The highest migration version this build knows.</summary>
    public int LatestVersion => _scripts[^1].Version;

    /// <summary>
    /// Applies every embedded migration the database lacks, after verifying those it has.
    /// </summary>
    /// <exception cref="SchemaMismatchException">An applied migration changed, or the database is newer than this build.</exception>
    public async Task<MigrationReport> MigrateAsync(CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        var locked = false;
        try
        {
            LogTakingLock(_logger, connection.Database);
            await ExecuteAsync(connection, null, "SELECT pg_advisory_lock(@key)", ct, ("key", AdvisoryLockKey));
            locked = true;

            await ExecuteAsync(connection, null, CreateVersionTableSql, ct);
            var applied = await ReadAppliedAsync(connection, ct);
            Verify(applied);

            var appliedNow = new List<int>();
            var notices = new List<MigrationNotice>();
            foreach (var script in _scripts.Where(s => !applied.ContainsKey(s.Version)))
            {
                await ApplyAsync(connection, script, notices, ct);
                appliedNow.Add(script.Version);
            }

            var alreadyPresent = applied.Keys.Order().ToList();
            if (appliedNow.Count == 0)
            {
                LogSchemaCurrent(_logger, connection.Database, LatestVersion);
            }

            return new MigrationReport(appliedNow, alreadyPresent, LatestVersion, notices);
        }
        finally
        {
            if (locked)
            {
                await UnlockAsync(connection);
            }
        }
    }

    /// <summary>The highest applied migration version, or 0 for a database never migrated.</summary>
    public async Task<int> GetCurrentVersionAsync(CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        var applied = await ReadAppliedIfAnyAsync(connection, ct);
        return applied.Count == 0 ? 0 : applied.Keys.Max();
    }

    /// <summary>
    /// Checks what is applied without changing anything, for hosts that do not migrate on start;
    /// returns the current version (0 for a database never migrated), which may still be below
    /// <see cref="LatestVersion"/>.
    /// </summary>
    /// <exception cref="SchemaMismatchException">An applied migration changed, or the database is newer than this build.</exception>
    public async Task<int> VerifyAsync(CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        var applied = await ReadAppliedIfAnyAsync(connection, ct);
        Verify(applied);
        return applied.Count == 0 ? 0 : applied.Keys.Max();
    }

    private void Verify(Dictionary<int, AppliedRow> applied)
    {
        var known = _scripts.ToDictionary(s => s.Version);
        foreach (var (version, row) in applied.OrderBy(a => a.Key))
        {
            if (!known.TryGetValue(version, out var script))
            {
                throw new SchemaMismatchException(row.Name, version > LatestVersion
                    ? $"The database has migration {row.Name} (version {version}), newer than this build, which knows migrations up to version {LatestVersion}. Run a build that includes it."
                    : $"The database has migration {row.Name} (version {version}), which this build does not contain. Migrations are never removed; restore the file.");
            }

            if (!string.Equals(script.Checksum, row.Checksum, StringComparison.Ordinal))
            {
                throw new SchemaMismatchException(script.Name,
                    $"Migration {script.Name} was changed after it was applied (recorded sha256 {row.Checksum}, file sha256 {script.Checksum}). " +
                    "Applied migrations are never edited: restore the file and add a new numbered migration.");
            }
        }
    }

    private async Task ApplyAsync(NpgsqlConnection connection, MigrationScript script, List<MigrationNotice> notices, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();

        // Only while the script's transaction runs: the migrator's own statements (CREATE TABLE IF
        // NOT EXISTS schema_version) raise notices nobody needs. Npgsql logs notices only at Debug.
        var database = connection.Database;
        void OnNotice(object sender, NpgsqlNoticeEventArgs e) => RecordNotice(script, database, e.Notice, notices);
        connection.Notice += OnNotice;
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            try
            {
                await ExecuteAsync(connection, transaction, script.Sql, ct);
            }
            catch (PostgresException e)
            {
                throw new InvalidOperationException($"Migration {script.Name} failed and was rolled back: {e.MessageText} (SQLSTATE {e.SqlState}).", e);
            }

            await ExecuteAsync(connection, transaction,
                "INSERT INTO schema_version (version, name, checksum, applied_at) VALUES (@version, @name, @checksum, now())", ct,
                ("version", script.Version), ("name", script.Name), ("checksum", script.Checksum));
            await transaction.CommitAsync(ct);
        }
        finally
        {
            connection.Notice -= OnNotice;
        }

        LogMigrationApplied(_logger, script.Name, script.Version, database, clock.ElapsedMilliseconds);
    }

    private void RecordNotice(MigrationScript script, string database, PostgresNotice notice, List<MigrationNotice> notices)
    {
        // The invariant severity is not translated by the server's lc_messages.
        var severity = notice.InvariantSeverity;
        LogLevel level;
        switch (severity)
        {
            case "WARNING":
                level = LogLevel.Warning;
                break;
            case "DEBUG" or "LOG":
                return;
            default:
                level = LogLevel.Information;
                break;
        }

        var recorded = new MigrationNotice(script.Name, severity, notice.SqlState, notice.MessageText, notice.Detail, notice.Hint);
        notices.Add(recorded);
        LogMigrationNotice(_logger, level, script.Name, database, severity, notice.SqlState, recorded.Text);
    }

    private static IReadOnlyList<MigrationScript> LoadEmbedded()
    {
        var scripts = MigrationScript.LoadEmbedded(typeof(SchemaMigrator).Assembly);
        if (scripts.Count == 0)
        {
            throw new InvalidOperationException(
                $"No migrations are embedded in {typeof(SchemaMigrator).Assembly.GetName().Name} (resources named {MigrationScript.ResourcePrefix}*.sql).");
        }

        return scripts;
    }

    private async Task UnlockAsync(NpgsqlConnection connection)
    {
        try
        {
            // Unlock even when the caller gave up: the pooled session would otherwise keep it.
            await ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", AdvisoryLockKey));
        }
        catch (NpgsqlException e)
        {
            // A broken session has lost the lock with it; do not hide the error that broke it.
            LogUnlockFailed(_logger, e, connection.Database);
        }
    }

    private static async Task<Dictionary<int, AppliedRow>> ReadAppliedIfAnyAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('schema_version') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                return [];
            }
        }

        return await ReadAppliedAsync(connection, ct);
    }

    private static async Task<Dictionary<int, AppliedRow>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var applied = new Dictionary<int, AppliedRow>();
        await using var command = new NpgsqlCommand("SELECT version, name, checksum FROM schema_version", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            applied.Add(reader.GetInt32(0), new AppliedRow(reader.GetString(1), reader.GetString(2)));
        }

        return applied;
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        // No timeout: waiting for another silo's lock or a long migration is expected; ct bounds it.
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Taking the schema migration lock on database {Database}")]
    private static partial void LogTakingLock(ILogger logger, string database);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Applied migration {Migration} (version {Version}) to database {Database} in {ElapsedMs} ms")]
    private static partial void LogMigrationApplied(ILogger logger, string migration, int version, string database, long elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Database {Database} is at schema version {Version}; no migration to apply")]
    private static partial void LogSchemaCurrent(ILogger logger, string database, int version);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Could not release the schema migration lock on database {Database}; it goes with the session")]
    private static partial void LogUnlockFailed(ILogger logger, Exception exception, string database);

    [LoggerMessage(EventId = 5, Message = "Migration {Migration} on database {Database} raised {Severity} {SqlState}: {Notice}")]
    private static partial void LogMigrationNotice(ILogger logger, LogLevel level, string migration, string database, string severity, string sqlState, string notice);

    private sealed record AppliedRow(string Name, string Checksum);
}
