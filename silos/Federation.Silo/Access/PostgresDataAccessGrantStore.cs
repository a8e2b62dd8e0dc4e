using System.Text.Json;
using Federation.Contracts.Access;
using Federation.Contracts.Ids;
using Federation.Contracts.Json;
using Npgsql;
using NpgsqlTypes;

namespace Federation.Silo.Access;

/// <summary>Data-access grants in PostgreSQL (migration <c>0008_data_access_grants.sql</c>), with the answers of <see cref="InMemoryDataAccessGrantStore"/>.</summary>
/// <param name="dataSource">The nation's database (migrated).</param>
public sealed class PostgresDataAccessGrantStore(NpgsqlDataSource dataSource) : IDataAccessGrantStore
{
    private static readonly JsonSerializerOptions s_json = FederationJson.Options;

    /// <inheritdoc />
    public async Task<bool> AddAsync(DataAccessGrant grant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        await using var command = dataSource.CreateCommand(
            "INSERT INTO data_access_grant (id, dataset, status, body, updated_at) VALUES (@id, @dataset, @status, @body, @at) ON CONFLICT (id) DO NOTHING");
        Bind(command, grant);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <inheritdoc />
    public async Task<DataAccessGrant?> GetAsync(string id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT body FROM data_access_grant WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        var found = await ReadAsync(command, ct);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DataAccessGrant>> ListAsync(DatasetId? dataset, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(dataset is null
            ? "SELECT body FROM data_access_grant ORDER BY dataset, id"
            : "SELECT body FROM data_access_grant WHERE dataset = @dataset ORDER BY dataset, id");
        if (dataset is { } d)
        {
            command.Parameters.AddWithValue("dataset", d.Value);
        }

        return await ReadAsync(command, ct);
    }

    /// <inheritdoc />
    public async Task<bool> UpdateAsync(DataAccessGrant grant, DataAccessGrantStatus expected, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        await using var command = dataSource.CreateCommand(
            "UPDATE data_access_grant SET status = @status, body = @body, updated_at = @at WHERE id = @id AND status = @expected");
        Bind(command, grant);
        command.Parameters.AddWithValue("expected", StatusName(expected));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <inheritdoc />
    public async Task<byte[]> CommitteeKeyAsync(byte[] candidate, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO access_committee_key (id, pkcs8, created_at) VALUES (1, @key, @at) ON CONFLICT (id) DO NOTHING; SELECT pkcs8 FROM access_committee_key WHERE id = 1");
        command.Parameters.AddWithValue("key", candidate);
        command.Parameters.AddWithValue("at", now.ToUniversalTime());
        return (byte[])(await command.ExecuteScalarAsync(ct))!;
    }

    private static string StatusName(DataAccessGrantStatus status) => status.ToString().ToLowerInvariant();

    private static void Bind(NpgsqlCommand command, DataAccessGrant grant)
    {
        command.Parameters.AddWithValue("id", grant.Id);
        command.Parameters.AddWithValue("dataset", grant.Dataset.Dataset.Value);
        command.Parameters.AddWithValue("status", StatusName(grant.Status));
        command.Parameters.AddWithValue("body", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(grant, s_json));
        command.Parameters.AddWithValue("at", (grant.RevokedAt ?? grant.ApprovedAt ?? grant.RequestedAt).ToUniversalTime());
    }

    private static async Task<IReadOnlyList<DataAccessGrant>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var grants = new List<DataAccessGrant>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            grants.Add(JsonSerializer.Deserialize<DataAccessGrant>(reader.GetString(0), s_json)!);
        }

        return grants;
    }
}
