using Npgsql;

namespace Federation.Silo.Auth.Grants;

/// <summary>Role grants in PostgreSQL (table <c>role_grant</c> of migration <c>0007_people.sql</c>), with the answers of <see cref="InMemoryRoleGrantStore"/>.</summary>
/// <param name="dataSource">The nation's database (migrated).</param>
public sealed class PostgresRoleGrantStore(NpgsqlDataSource dataSource) : IRoleGrantStore
{
    private const string Columns = "subject, role, scope, granted_by, granted_at";

    /// <inheritdoc />
    public Task<IReadOnlyList<RoleGrant>> ForSubjectAsync(string subject, CancellationToken ct) =>
        QueryAsync($"SELECT {Columns} FROM role_grant WHERE subject = @subject ORDER BY role, scope", ct, ("subject", subject));

    /// <inheritdoc />
    public Task<IReadOnlyList<RoleGrant>> ListAsync(string? role, CancellationToken ct) => role is null
        ? QueryAsync($"SELECT {Columns} FROM role_grant ORDER BY subject, role, scope", ct)
        : QueryAsync($"SELECT {Columns} FROM role_grant WHERE role = @role ORDER BY subject, role, scope", ct, ("role", role));

    /// <inheritdoc />
    public async Task<bool> GrantAsync(RoleGrant grant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO role_grant ({Columns}) VALUES (@subject, @role, @scope, @by, @at) ON CONFLICT (subject, role, scope) DO NOTHING");
        command.Parameters.AddWithValue("subject", grant.Subject);
        command.Parameters.AddWithValue("role", grant.Role);
        command.Parameters.AddWithValue("scope", grant.Scope);
        command.Parameters.AddWithValue("by", grant.GrantedBy);
        command.Parameters.AddWithValue("at", grant.GrantedAt.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> RevokeAsync(string subject, string role, string scope, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM role_grant WHERE subject = @subject AND role = @role AND scope = @scope");
        command.Parameters.AddWithValue("subject", subject);
        command.Parameters.AddWithValue("role", role);
        command.Parameters.AddWithValue("scope", scope);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private async Task<IReadOnlyList<RoleGrant>> QueryAsync(string sql, CancellationToken ct, params (string Name, string Value)[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var grants = new List<RoleGrant>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            grants.Add(new RoleGrant(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return grants;
    }
}
