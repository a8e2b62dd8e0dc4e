using System.Text;
using Federation.Transparency;
using Npgsql;
using NpgsqlTypes;

namespace Federation.Silo.Postgres;

/// <summary>
/// The transparency log's appends as statements of the silo's <see cref="CommitPipeline"/>: in the
/// transaction that also writes the grain state that caused them, the log's advisory lock, then one
/// insert whose positions come from the log's size read under that lock. An entry's bytes hold its
/// position, so each entry travels as the bytes before and after its position's digits, and the
/// insert writes the digits and the leaf hash (RFC 6962: SHA-256 of 0x00 and the entry) itself: no
/// position is guessed, so two silos' transactions cannot collide, and the rows stay contiguous.
/// </summary>
/// <remarks>
/// It answers rows, and orders after grain state (whose rows it follows) and before the read models
/// and the lease index, which answer none (see <see cref="ICommitTable"/>).
/// </remarks>
public sealed class TransparencyCommitTable : ICommitTable
{
    private const string InsertSql = """
        INSERT INTO transparency_entry (idx, kind, time, job, dataset, peer, entry, leaf_hash)
        SELECT b.size + u.n - 1, u.kind, u.time, u.job, u.dataset, u.peer, e.bytes, sha256('\x00'::bytea || e.bytes)
        FROM (SELECT coalesce(max(idx) + 1, 0) AS size FROM transparency_entry) b
        CROSS JOIN unnest(@kind::text[], @time::timestamptz[], @job::text[], @dataset::text[], @peer::text[], @before::bytea[], @after::bytea[])
            WITH ORDINALITY AS u(kind, time, job, dataset, peer, before, after, n)
        CROSS JOIN LATERAL (SELECT u.before || convert_to((b.size + u.n - 1)::text, 'UTF8') || u.after AS bytes) e
        RETURNING idx, entry, leaf_hash
        """;

    private static readonly byte[] s_indexField = Encoding.UTF8.GetBytes("\"index\":");

    /// <inheritdoc />
    public string Name => "transparency log";

    /// <inheritdoc />
    public int Order => 5;

    /// <summary>
    /// The bytes of <paramref name="entry"/>'s encoding before and after its position's digits:
    /// <c>before + digits + after</c> is <see cref="TransparencyEntryEncoding.Encode"/> at that position.
    /// </summary>
    public static (byte[] Before, byte[] After) Split(TransparencyEntry entry)
    {
        var bytes = TransparencyEntryEncoding.Encode(0, entry);
        var at = bytes.AsSpan().IndexOf(s_indexField);
        if (at < 0 || bytes[at + s_indexField.Length] != (byte)'0')
        {
            throw new InvalidOperationException("A transparency entry's encoding has no \"index\" field where the log expects it.");
        }

        var digit = at + s_indexField.Length;
        return (bytes[..digit], bytes[(digit + 1)..]);
    }

    /// <inheritdoc />
    public Func<NpgsqlDataReader, Task<IReadOnlyList<object?>>> AddCommands(NpgsqlBatch batch, IReadOnlyList<object> items)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(items);
        var entries = items.Cast<TransparencyEntry>().ToList();
        var split = entries.Select(Split).ToList();
        var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(@key)");
        lockCommand.Parameters.Add(new NpgsqlParameter<long>("key", NpgsqlDbType.Bigint) { TypedValue = PostgresTransparencyLog.AppendLockKey });
        batch.BatchCommands.Add(lockCommand);
        var insert = new NpgsqlBatchCommand(InsertSql);
        insert.Parameters.Add(new NpgsqlParameter<string[]>("kind", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. entries.Select(e => TransparencyEntryKinds.Name(e.Kind))] });
        insert.Parameters.Add(new NpgsqlParameter<DateTime[]>("time", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = [.. entries.Select(e => e.Time.UtcDateTime)] });
        insert.Parameters.Add(new NpgsqlParameter<string?[]>("job", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. entries.Select(e => e.Job)] });
        insert.Parameters.Add(new NpgsqlParameter<string?[]>("dataset", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. entries.Select(e => e.Dataset)] });
        insert.Parameters.Add(new NpgsqlParameter<string?[]>("peer", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. entries.Select(e => e.Peer)] });
        insert.Parameters.Add(new NpgsqlParameter<byte[][]>("before", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. split.Select(s => s.Before)] });
        insert.Parameters.Add(new NpgsqlParameter<byte[][]>("after", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. split.Select(s => s.After)] });
        batch.BatchCommands.Add(insert);
        return async reader =>
        {
            // The lock's row, then the inserted rows (in any order: put back in position order, which is the items' order).
            await reader.ReadAsync();
            await reader.NextResultAsync();
            var rows = new List<LoggedEntry>(entries.Count);
            while (await reader.ReadAsync())
            {
                rows.Add(new LoggedEntry(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<byte[]>(2)));
            }

            await reader.NextResultAsync();
            return [.. rows.OrderBy(r => r.Index)];
        };
    }

    /// <inheritdoc />
    public Task<object?> RefusedAsync(object item, PostgresException refusal) => Task.FromException<object?>(refusal);
}
