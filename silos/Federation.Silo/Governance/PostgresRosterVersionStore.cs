using System.Text.Json;
using Federation.Protocol.Roster;
using Npgsql;
using NpgsqlTypes;

namespace Federation.Silo.Governance;

/// <summary>Applied roster versions in PostgreSQL (table <c>roster_version</c> of migration <c>0009_roster_versions.sql</c>).</summary>
/// <param name="dataSource">The nation's database (migrated).</param>
public sealed class PostgresRosterVersionStore(NpgsqlDataSource dataSource) : IRosterVersionStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<AppliedRosterVersion>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT version, document::text, applied_at FROM roster_version ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<AppliedRosterVersion>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var roster = SignedRoster.Parse(reader.GetString(1));
            if (roster.Version != reader.GetInt64(0))
            {
                throw new FormatException($"roster_version row {reader.GetInt64(0)} holds version {roster.Version}");
            }

            versions.Add(new AppliedRosterVersion(roster, reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return versions;
    }

    /// <inheritdoc />
    public async Task SaveAsync(AppliedRosterVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        await using var command = dataSource.CreateCommand(
            "INSERT INTO roster_version (version, digest, document, applied_at) VALUES (@version, @digest, @document, @at)");
        command.Parameters.AddWithValue("version", version.Roster.Version);
        command.Parameters.AddWithValue("digest", RosterSigning.Digest(version.Roster));
        command.Parameters.Add(new NpgsqlParameter("document", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(version.Roster, RosterDocument.JsonOptions) });
        command.Parameters.AddWithValue("at", version.AppliedAt.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
