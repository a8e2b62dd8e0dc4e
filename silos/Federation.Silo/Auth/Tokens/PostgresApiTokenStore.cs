using Npgsql;

namespace Federation.Silo.Auth.Tokens;

/// <summary>API tokens in PostgreSQL (table <c>api_token</c> of migration <c>0007_people.sql</c>), with the answers of <see cref="InMemoryApiTokenStore"/>.</summary>
/// <param name="dataSource">The nation's database (migrated).</param>
public sealed class PostgresApiTokenStore(NpgsqlDataSource dataSource) : IApiTokenStore
{
    private const string Columns = "id, subject, name, sha256, scopes, granted, created_at, expires_at, revoked_at";

    /// <inheritdoc />
    public async Task AddAsync(ApiToken token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var command = dataSource.CreateCommand($"INSERT INTO api_token ({Columns}) VALUES (@id, @subject, @name, @sha, @scopes, @granted, @created, @expires, NULL)");
        command.Parameters.AddWithValue("id", token.Id);
        command.Parameters.AddWithValue("subject", token.Subject);
        command.Parameters.AddWithValue("name", token.Name);
        command.Parameters.AddWithValue("sha", token.Sha256);
        command.Parameters.AddWithValue("scopes", token.Scopes.ToArray());
        command.Parameters.AddWithValue("granted", token.Granted.ToArray());
        command.Parameters.AddWithValue("created", token.CreatedAt.ToUniversalTime());
        command.Parameters.AddWithValue("expires", token.ExpiresAt.ToUniversalTime());
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <inheritdoc />
    public async Task<ApiToken?> FindAsync(byte[] sha256, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM api_token WHERE sha256 = @sha");
        command.Parameters.AddWithValue("sha", sha256);
        return (await ReadAsync(command, ct)).FirstOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiToken>> ListAsync(string? subject, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(subject is null
            ? $"SELECT {Columns} FROM api_token ORDER BY created_at DESC, id"
            : $"SELECT {Columns} FROM api_token WHERE subject = @subject ORDER BY created_at DESC, id");
        if (subject is not null)
        {
            command.Parameters.AddWithValue("subject", subject);
        }

        return await ReadAsync(command, ct);
    }

    /// <inheritdoc />
    public async Task<ApiToken?> RevokeAsync(string id, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"UPDATE api_token SET revoked_at = COALESCE(revoked_at, @now) WHERE id = @id RETURNING {Columns}");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        return (await ReadAsync(command, ct)).FirstOrDefault();
    }

    private static async Task<List<ApiToken>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var tokens = new List<ApiToken>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            tokens.Add(new ApiToken(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetFieldValue<byte[]>(3),
                reader.GetFieldValue<string[]>(4),
                reader.GetFieldValue<string[]>(5),
                reader.GetFieldValue<DateTimeOffset>(6),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return tokens;
    }
}
