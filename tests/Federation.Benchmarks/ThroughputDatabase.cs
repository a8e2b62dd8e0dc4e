using Npgsql;

namespace Federation.Benchmarks;

/// <summary>
/// What the throughput benchmark reads straight from the nations' databases: admissions committed
/// in FR, the jobs in DE's job store, PostgreSQL's transaction, WAL and per-table row counters, and
/// DE's read model. The progress count reads every execution row of FR (its cost grows with the jobs
/// admitted), so the benchmark's connections are named (<see cref="ObserverName"/>) and their backends'
/// CPU is left out of the nations' figures, and the count is polled less often as it grows dearer.
/// </summary>
internal static class ThroughputDatabase
{
    /// <summary>The application name of the benchmark's own connections (<see cref="ThroughputFederation.Database"/>).</summary>
    public const string ObserverName = "fedbench-observer";

    /// <summary>
    /// Jobs whose id starts with <paramref name="prefix"/> with an admission committed in FR. The
    /// execution grain writes its state (with the admission) before it answers the offer: a row is
    /// an admission committed in FR (a job offered again under a later epoch counts once).
    /// </summary>
    public static async Task<int> CountAdmittedAsync(NpgsqlDataSource fr, string prefix)
    {
        await using var command = fr.CreateCommand(
            "SELECT count(DISTINCT split_part(grainidextensionstring, '/', 2)) FROM orleansstorage WHERE serviceid = 'federation-fr' AND graintypestring = 'execution' AND grainidextensionstring LIKE @prefix");
        command.Parameters.AddWithValue("prefix", $"exec-DE/{prefix}%");
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The local ids of DE's jobs that have an execution row in FR's grain storage.</summary>
    public static Task<HashSet<string>> ReachedFrAsync(NpgsqlDataSource fr) => IdsAsync(
        fr,
        "SELECT DISTINCT split_part(grainidextensionstring, '/', 2) FROM orleansstorage WHERE serviceid = 'federation-fr' AND graintypestring = 'execution' AND grainidextensionstring LIKE 'exec-DE/%'");

    /// <summary>The local ids of the jobs in DE's job store (the job grains' rows in DE's grain storage, not the read model).</summary>
    public static Task<HashSet<string>> InDeJobStoreAsync(NpgsqlDataSource de) => IdsAsync(
        de,
        "SELECT split_part(grainidextensionstring, '/', 2) FROM orleansstorage WHERE serviceid = 'federation-de' AND graintypestring = 'job' AND grainidextensionstring LIKE 'job-DE/%' AND payloadbinary IS NOT NULL");

    /// <summary>
    /// The PostgreSQL backends serving the benchmark's own connections (<see cref="ObserverName"/>), server-wide: the
    /// progress polls and counters, whose CPU is not the federation's.
    /// </summary>
    public static async Task<HashSet<int>> ObserverPidsAsync(NpgsqlDataSource any)
    {
        await using var command = any.CreateCommand("SELECT pid FROM pg_stat_activity WHERE application_name = @name");
        command.Parameters.AddWithValue("name", ObserverName);
        var pids = new HashSet<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pids.Add(reader.GetInt32(0));
        }

        return pids;
    }

    /// <summary>What PostgreSQL says of the backends <paramref name="pids"/>: their kind, application name and last statement (cut short); none for a backend gone.</summary>
    public static async Task<Dictionary<int, string>> DescribeBackendsAsync(NpgsqlDataSource any, IReadOnlyCollection<int> pids)
    {
        await using var command = any.CreateCommand(
            "SELECT pid, backend_type, coalesce(nullif(application_name, ''), '-'), left(regexp_replace(coalesce(query, ''), '\\s+', ' ', 'g'), 90) FROM pg_stat_activity WHERE pid = ANY(@pids)");
        command.Parameters.AddWithValue("pids", pids.ToArray());
        var described = new Dictionary<int, string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            described[reader.GetInt32(0)] = $"{reader.GetString(1)}, application {reader.GetString(2)}, last: {reader.GetString(3)}";
        }

        return described;
    }

    /// <summary>Committed transactions so far of every database under <paramref name="prefix"/>, by nation.</summary>
    public static async Task<Dictionary<string, long>> CommitsAsync(NpgsqlDataSource any, string prefix)
    {
        await using var command = any.CreateCommand("SELECT datname, xact_commit FROM pg_stat_database WHERE datname LIKE @prefix");
        command.Parameters.AddWithValue("prefix", prefix + "\\_%");
        var commits = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            commits[reader.GetString(0)[(prefix.Length + 1)..].ToUpperInvariant()] = reader.GetInt64(1);
        }

        return commits;
    }

    /// <summary>The server's WAL flushes so far and its current WAL position in bytes (zeros where <c>pg_stat_wal</c> is missing).</summary>
    public static async Task<(long Syncs, long Bytes)> WalAsync(NpgsqlDataSource any)
    {
        await using var command = any.CreateCommand("SELECT wal_sync, (SELECT pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint FROM pg_stat_wal");
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            return await reader.ReadAsync() ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, 0);
        }
        catch (PostgresException)
        {
            return (0, 0);
        }
    }

    /// <summary>Rows inserted, updated and deleted so far in each table of one database, by table name.</summary>
    public static async Task<Dictionary<string, long>> RowWritesAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables");
        var writes = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            writes[reader.GetString(0)] = reader.GetInt64(1);
        }

        return writes;
    }

    /// <summary>The entries of the nation's lease index due within a day: its live jobs' and executions' (finished jobs' are due when their retention ends).</summary>
    public static async Task<long> LiveLeasesAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("SELECT count(*) FROM lease WHERE due < now() + interval '1 day'");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The timed jobs by state, from DE's job read model.</summary>
    public static async Task<SortedDictionary<string, long>> StatesAsync(NpgsqlDataSource de)
    {
        await using var command = de.CreateCommand("SELECT state, count(*) FROM job WHERE id LIKE 'DE/tp-%' GROUP BY state");
        var states = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            states[reader.GetString(0)] = reader.GetInt64(1);
        }

        return states;
    }

    private static async Task<HashSet<string>> IdsAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
