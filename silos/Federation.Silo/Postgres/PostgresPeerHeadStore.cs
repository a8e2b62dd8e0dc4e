using Federation.Transparency;
using Federation.Transparency.Peers;
using Npgsql;
using NpgsqlTypes;

namespace Federation.Silo.Postgres;

/// <summary>
/// The heads this nation kept from its peers, and the evidence of those that failed, in PostgreSQL
/// (tables <c>peer_head</c> and <c>peer_head_flag</c> of migration <c>0010_peer_heads.sql</c>), with
/// the answers of <see cref="InMemoryPeerHeadStore"/>.
/// </summary>
/// <param name="dataSource">The nation's database (migrated).</param>
public sealed class PostgresPeerHeadStore(NpgsqlDataSource dataSource) : IPeerHeadStore
{
    private const string KeepSql = """
        INSERT INTO peer_head (peer, size, time, root, signer_key, signature, kept_at)
        VALUES (@peer, @size, @time, @root, @key, @signature, @at)
        ON CONFLICT DO NOTHING
        """;

    private const string FlagSql = """
        INSERT INTO peer_head_flag (peer, status, reason, flagged_at, kept_size, kept_time, kept_root, kept_signer_key, kept_signature,
                                    offending_nation, offending_size, offending_time, offending_root, offending_signer_key, offending_signature)
        VALUES (@peer, @status, @reason, @at, @kept_size, @kept_time, @kept_root, @kept_key, @kept_signature,
                @nation, @size, @time, @root, @key, @signature)
        ON CONFLICT DO NOTHING
        """;

    private const string StatesSql = """
        WITH peers AS (SELECT peer FROM peer_head UNION SELECT peer FROM peer_head_flag)
        SELECT p.peer,
               h.size, h.time, h.root, h.signer_key, h.signature,
               (SELECT count(*) FROM peer_head c WHERE c.peer = p.peer),
               greatest((SELECT max(kept_at) FROM peer_head c WHERE c.peer = p.peer), (SELECT max(flagged_at) FROM peer_head_flag c WHERE c.peer = p.peer)),
               f.status, f.reason, f.flagged_at, f.kept_size, f.kept_time, f.kept_root, f.kept_signer_key, f.kept_signature,
               f.offending_nation, f.offending_size, f.offending_time, f.offending_root, f.offending_signer_key, f.offending_signature
        FROM peers p
        LEFT JOIN LATERAL (SELECT * FROM peer_head c WHERE c.peer = p.peer ORDER BY size DESC, time DESC LIMIT 1) h ON true
        LEFT JOIN LATERAL (SELECT * FROM peer_head_flag c WHERE c.peer = p.peer ORDER BY id LIMIT 1) f ON true
        ORDER BY p.peer
        """;

    /// <inheritdoc />
    public async Task<SignedTreeHead?> LatestAsync(string peer, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT size, time, root, signer_key, signature FROM peer_head WHERE peer = @peer ORDER BY size DESC, time DESC LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter<string>("peer", NpgsqlDbType.Text) { TypedValue = peer });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Head(reader, peer, 0) : null;
    }

    /// <inheritdoc />
    public async Task KeepAsync(string peer, SignedTreeHead head, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(head);
        await using var command = dataSource.CreateCommand(KeepSql);
        command.Parameters.Add(new NpgsqlParameter<string>("peer", NpgsqlDbType.Text) { TypedValue = peer });
        AddHead(command.Parameters, "", head);
        command.Parameters.Add(new NpgsqlParameter<DateTime>("at", NpgsqlDbType.TimestampTz) { TypedValue = at.UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task FlagAsync(PeerHeadFlag flag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flag);
        await using var command = dataSource.CreateCommand(FlagSql);
        command.Parameters.Add(new NpgsqlParameter<string>("peer", NpgsqlDbType.Text) { TypedValue = flag.Peer });
        command.Parameters.Add(new NpgsqlParameter<string>("status", NpgsqlDbType.Text) { TypedValue = PeerHeadStatuses.Name(flag.Status) });
        command.Parameters.Add(new NpgsqlParameter<string>("reason", NpgsqlDbType.Text) { TypedValue = flag.Reason });
        command.Parameters.Add(new NpgsqlParameter<DateTime>("at", NpgsqlDbType.TimestampTz) { TypedValue = flag.At.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter("kept_size", NpgsqlDbType.Bigint) { Value = (object?)flag.Kept?.Head.Size ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("kept_time", NpgsqlDbType.TimestampTz) { Value = (object?)flag.Kept?.Head.Time.UtcDateTime ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("kept_root", NpgsqlDbType.Bytea) { Value = (object?)flag.Kept?.Head.Root ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("kept_key", NpgsqlDbType.Text) { Value = (object?)flag.Kept?.SignerKey ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("kept_signature", NpgsqlDbType.Text) { Value = (object?)flag.Kept?.Signature ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<string>("nation", NpgsqlDbType.Text) { TypedValue = flag.Offending.Head.Nation });
        AddHead(command.Parameters, "", flag.Offending);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PeerLogState>> StatesAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StatesSql);
        var states = new List<PeerLogState>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var peer = reader.GetString(0);
            var latest = reader.IsDBNull(1) ? null : Head(reader, peer, 1);
            var checkedAt = reader.IsDBNull(7) ? (DateTimeOffset?)null : new DateTimeOffset(reader.GetFieldValue<DateTime>(7), TimeSpan.Zero);
            PeerHeadFlag? flag = null;
            if (!reader.IsDBNull(8))
            {
                var kept = reader.IsDBNull(11) ? null : Head(reader, peer, 11);
                var offending = Head(reader, reader.GetString(16), 17);
                flag = new PeerHeadFlag(peer, PeerHeadStatuses.Parse(reader.GetString(8)), reader.GetString(9), kept, offending, new DateTimeOffset(reader.GetFieldValue<DateTime>(10), TimeSpan.Zero));
            }

            states.Add(new PeerLogState(peer, flag?.Status ?? PeerHeadStatus.Consistent, latest, reader.GetInt64(6), checkedAt, flag));
        }

        return states;
    }

    private static void AddHead(NpgsqlParameterCollection parameters, string prefix, SignedTreeHead head)
    {
        parameters.Add(new NpgsqlParameter<long>(prefix + "size", NpgsqlDbType.Bigint) { TypedValue = head.Head.Size });
        parameters.Add(new NpgsqlParameter<DateTime>(prefix + "time", NpgsqlDbType.TimestampTz) { TypedValue = head.Head.Time.UtcDateTime });
        parameters.Add(new NpgsqlParameter<byte[]>(prefix + "root", NpgsqlDbType.Bytea) { TypedValue = head.Head.Root });
        parameters.Add(new NpgsqlParameter<string>(prefix + "key", NpgsqlDbType.Text) { TypedValue = head.SignerKey });
        parameters.Add(new NpgsqlParameter<string>(prefix + "signature", NpgsqlDbType.Text) { TypedValue = head.Signature });
    }

    // Size, time, root, signer key and signature from column `at` on.
    private static SignedTreeHead Head(NpgsqlDataReader reader, string nation, int at) => new(
        new TreeHead(nation, reader.GetInt64(at), reader.GetFieldValue<byte[]>(at + 2), new DateTimeOffset(reader.GetFieldValue<DateTime>(at + 1), TimeSpan.Zero)),
        reader.GetString(at + 3),
        reader.GetString(at + 4));
}
