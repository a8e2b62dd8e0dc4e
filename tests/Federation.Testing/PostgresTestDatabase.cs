using Npgsql;

namespace Federation.Testing;

/// <summary>
/// A fresh PostgreSQL database for one test class, dropped on dispose. The server comes from
/// <c>FEDERATION_TEST_POSTGRES</c> (a connection string to a role that may create databases);
/// <c>.ci/run</c> sets it up.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    /// <summary>Environment variable naming the server.</summary>
    public const string EnvironmentVariable = "FEDERATION_TEST_POSTGRES";

    /// <summary>Server used when the variable is unset (what .ci/run prepares).</summary>
    public const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=federation_test;Password=federation_test";

    private PostgresTestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The database's name.</summary>
    public string Name { get; }

    /// <summary>Connection string to the database, with a small pool.</summary>
    public string ConnectionString { get; }

    /// <summary>Connection string to the server's maintenance database.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } s ? s : DefaultServer;

    /// <summary>Creates an empty database named after <paramref name="purpose"/>.</summary>
    public static async Task<PostgresTestDatabase> CreateAsync(string purpose)
    {
        var safe = new string(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(20).ToArray());
        var name = $"fedtest_{safe}_{Guid.NewGuid():N}"[..Math.Min(63, 9 + safe.Length + 1 + 12)];
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            try
            {
                await connection.OpenAsync();
            }
            catch (NpgsqlException e)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL for tests is not reachable with {EnvironmentVariable} or the default ({DefaultServer}): {e.Message}. " +
                    "Run 'bash infra/ci/postgres-up.sh' (what .ci/run does) to install and start it.", e);
            }

            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var database = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, MaxPoolSize = 20 };
        return new PostgresTestDatabase(name, database.ConnectionString);
    }

    /// <inheritdoc />
    /// <summary>Runs <paramref name="sql"/> in this database (test set-up: delete a row, break a table).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The single number <paramref name="sql"/> answers in this database (a count).</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The stored state of every grain of <paramref name="grainType"/> (its state name, e.g. <c>capacity-ledger</c>) in the
    /// grain storage table: the serializer's bytes, by the grain's string key (empty for other keys).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, byte[]>> GrainPayloadsAsync(string grainType, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT coalesce(grainidextensionstring, ''), payloadbinary FROM orleansstorage WHERE graintypestring = @type", connection);
        command.Parameters.AddWithValue("type", grainType);
        var payloads = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            payloads.Add(reader.GetString(0), reader.GetFieldValue<byte[]>(1));
        }

        return payloads;
    }

    /// <summary>Replaces the stored state of the grains of <paramref name="grainType"/> with <paramref name="payload"/> (a damaged or older row); the rows changed.</summary>
    public async Task<int> SetGrainPayloadAsync(string grainType, byte[] payload, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE orleansstorage SET payloadbinary = @payload WHERE graintypestring = @type", connection);
        command.Parameters.AddWithValue("payload", payload);
        command.Parameters.AddWithValue("type", grainType);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await DropAsync(Name);
    }

    /// <summary>Drops database <paramref name="name"/> of the test server, closing its connections.</summary>
    public static async Task DropAsync(string name)
    {
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);

        // FORCE may not terminate a server process the test role does not own (an autovacuum worker
        // busy with the database, 42501): such a worker ends within moments, so try again until then.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }
    }
}
