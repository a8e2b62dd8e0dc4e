using Federation.Grains.Jobs.Leases;
using Npgsql;
using NpgsqlTypes;

namespace Federation.Silo.Postgres;

/// <summary>
/// The lease index in PostgreSQL (table <c>lease</c> of migration <c>0005_leases.sql</c>), with the
/// semantics of <see cref="ILeaseIndex"/> and the same answers as <see cref="InMemoryLeaseIndex"/>.
/// </summary>
/// <remarks>
/// Writes go through the silo's <see cref="CommitPipeline"/>, in the same transactions as the
/// grains' state writes: the sets and removals that arrive together become two statements (an <c>INSERT ... ON CONFLICT</c> over arrays and a <c>DELETE</c> over arrays),
/// whatever their number, of one transaction; of several writes of one entry in a group the last one counts, as it
/// would one by one. A claim is one <c>UPDATE ... RETURNING</c> over the earliest due rows, which
/// skips rows another claim holds, so two sweeps never take the same entry.
/// </remarks>
public sealed class PostgresLeaseIndex : ILeaseIndex, ICommitTable
{
    private const string UpsertSql = """
        INSERT INTO lease (kind, key, due)
        SELECT * FROM unnest(@kinds::text[], @keys::text[], @dues::timestamptz[])
        ON CONFLICT (kind, key) DO UPDATE SET due = EXCLUDED.due
        """;

    private const string DeleteSql = """
        DELETE FROM lease USING unnest(@kinds::text[], @keys::text[]) AS gone(kind, key)
        WHERE lease.kind = gone.kind AND lease.key = gone.key
        """;

    private const string ClaimSql = """
        WITH taken AS (SELECT kind, key, due FROM lease WHERE due <= @now ORDER BY due, kind, key LIMIT @limit FOR UPDATE SKIP LOCKED)
        UPDATE lease SET due = @next FROM taken
        WHERE lease.kind = taken.kind AND lease.key = taken.key
        RETURNING taken.kind, taken.key, taken.due
        """;

    // Kind and key compared bytewise, as LeaseKey.Compare orders them.
    private const string ListDueSql = """
        SELECT kind, key FROM lease
        WHERE due <= @before AND (kind COLLATE "C", key COLLATE "C") > (@kind, @key)
        ORDER BY kind COLLATE "C", key COLLATE "C" LIMIT @limit
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly CommitPipeline _pipeline;

    /// <summary>Creates the index on the database behind <paramref name="dataSource"/> (migrated).</summary>
    /// <param name="dataSource">The nation's database.</param>
    /// <param name="pipeline">The silo's commit pipeline; none: one of its own on <paramref name="dataSource"/>.</param>
    public PostgresLeaseIndex(NpgsqlDataSource dataSource, CommitPipeline? pipeline = null)
    {
        _dataSource = dataSource;
        _pipeline = pipeline ?? new CommitPipeline(dataSource);
    }

    /// <summary>Sets and removals committed so far, and the transactions that held them.</summary>
    public (long Items, long Transactions) Writes => _pipeline.CountsOf(this);

    /// <inheritdoc />
    string ICommitTable.Name => "lease index";

    /// <inheritdoc />
    int ICommitTable.Order => 20;

    /// <inheritdoc />
    /// <remarks>The task completes when the transaction holding this write committed.</remarks>
    public Task SetAsync(LeaseKey key, DateTimeOffset due, CancellationToken cancellationToken)
    {
        LeaseKey.Validate(key, nameof(key));
        return _pipeline.WriteAsync<bool>(this, new LeaseWrite(key, due));
    }

    /// <inheritdoc />
    /// <remarks>The task completes when the transaction holding this removal committed.</remarks>
    public Task RemoveAsync(LeaseKey key, CancellationToken cancellationToken)
    {
        LeaseKey.Validate(key, nameof(key));
        return _pipeline.WriteAsync<bool>(this, new LeaseWrite(key, null));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LeaseKey>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset next, int limit, CancellationToken cancellationToken)
    {
        LeaseClaims.Validate(now, next, limit);
        await using var command = _dataSource.CreateCommand(ClaimSql);
        command.Parameters.Add(Timestamp("now", now));
        command.Parameters.Add(Timestamp("next", next));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", NpgsqlDbType.Integer) { TypedValue = limit });
        var claimed = new List<(LeaseKey Key, DateTimeOffset Due)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add((new LeaseKey(LeaseKey.Parse(reader.GetString(0)), reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2)));
            }
        }

        // RETURNING keeps no order: earliest first, as the in-memory index answers.
        return [.. claimed.OrderBy(c => c.Due).ThenBy(c => LeaseKey.Name(c.Key.Kind), StringComparer.Ordinal).ThenBy(c => c.Key.Key, StringComparer.Ordinal).Select(c => c.Key)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LeaseKey>> ListAsync(LeaseKind kind, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = _dataSource.CreateCommand("SELECT key FROM lease WHERE kind = @kind ORDER BY key COLLATE \"C\" LIMIT @limit");
        command.Parameters.Add(new NpgsqlParameter("kind", NpgsqlDbType.Text) { Value = LeaseKey.Name(kind) });
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit });
        var keys = new List<LeaseKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new LeaseKey(kind, reader.GetString(0)));
        }

        return keys;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LeaseKey>> ListDueAsync(DateTimeOffset before, LeaseKey? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = _dataSource.CreateCommand(ListDueSql);
        command.Parameters.Add(Timestamp("before", before));

        // No cursor: after ("", ""), which every stored entry (a kind name and a non-empty key) follows.
        command.Parameters.Add(new NpgsqlParameter<string>("kind", NpgsqlDbType.Text) { TypedValue = after is { } from ? LeaseKey.Name(from.Kind) : "" });
        command.Parameters.Add(new NpgsqlParameter<string>("key", NpgsqlDbType.Text) { TypedValue = after?.Key ?? "" });
        command.Parameters.Add(new NpgsqlParameter<int>("limit", NpgsqlDbType.Integer) { TypedValue = limit });
        var keys = new List<LeaseKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new LeaseKey(LeaseKey.Parse(reader.GetString(0)), reader.GetString(1)));
        }

        return keys;
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> DueAsync(LeaseKey key, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT due FROM lease WHERE kind = @kind AND key = @key");
        command.Parameters.Add(new NpgsqlParameter("kind", NpgsqlDbType.Text) { Value = LeaseKey.Name(key.Kind) });
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = key.Key });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime due ? new DateTimeOffset(due, TimeSpan.Zero) : null;
    }

    /// <inheritdoc />
    Task<object?> ICommitTable.RefusedAsync(object item, PostgresException refusal) => Task.FromException<object?>(refusal);

    /// <inheritdoc />
    Func<NpgsqlDataReader, Task<IReadOnlyList<object?>>> ICommitTable.AddCommands(NpgsqlBatch batch, IReadOnlyList<object> items)
    {
        // The last write of each entry wins, as one by one; in key order, so that transactions lock rows in one order.
        var last = new Dictionary<LeaseKey, DateTimeOffset?>();
        foreach (var (key, due) in items.Cast<LeaseWrite>())
        {
            last[key] = due;
        }

        var ordered = last.OrderBy(w => LeaseKey.Name(w.Key.Kind), StringComparer.Ordinal).ThenBy(w => w.Key.Key, StringComparer.Ordinal).ToList();
        var sets = ordered.Where(w => w.Value is not null).ToList();
        var removals = ordered.Where(w => w.Value is null).ToList();
        if (sets.Count > 0)
        {
            var upsert = new NpgsqlBatchCommand(UpsertSql);
            upsert.Parameters.Add(Texts("kinds", sets.Select(s => LeaseKey.Name(s.Key.Kind))));
            upsert.Parameters.Add(Texts("keys", sets.Select(s => s.Key.Key)));
            upsert.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("dues", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            {
                TypedValue = [.. sets.Select(s => s.Value!.Value.ToUniversalTime())],
            });
            batch.BatchCommands.Add(upsert);
        }

        if (removals.Count > 0)
        {
            var delete = new NpgsqlBatchCommand(DeleteSql);
            delete.Parameters.Add(Texts("kinds", removals.Select(r => LeaseKey.Name(r.Key.Kind))));
            delete.Parameters.Add(Texts("keys", removals.Select(r => r.Key.Key)));
            batch.BatchCommands.Add(delete);
        }

        IReadOnlyList<object?> written = [.. items.Select(_ => (object?)true)];
        return _ => Task.FromResult(written);
    }

    private sealed record LeaseWrite(LeaseKey Key, DateTimeOffset? Due);

    private static NpgsqlParameter<string[]> Texts(string name, IEnumerable<string> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. values] };

    // timestamptz takes UTC only.
    private static NpgsqlParameter<DateTimeOffset> Timestamp(string name, DateTimeOffset value) =>
        new(name, NpgsqlDbType.TimestampTz) { TypedValue = value.ToUniversalTime() };
}
