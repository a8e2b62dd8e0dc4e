using Federation.Transparency;
using Npgsql;
using NpgsqlTypes;

namespace Federation.Silo.Postgres;

/// <summary>
/// The nation's transparency log in PostgreSQL (tables <c>transparency_entry</c> and
/// <c>transparency_head</c> of migration <c>0006_transparency_log.sql</c>, <c>transparency_subtree</c>
/// of <c>0011_transparency_subtree.sql</c>), with the semantics of
/// <see cref="ITransparencyLog"/> and the same answers as <see cref="InMemoryTransparencyLog"/>.
/// </summary>
/// <remarks>
/// Appends are group-committed: the entries that arrive together become one transaction that takes
/// a transaction-level advisory lock (so the nation's silos append one after the other) and inserts
/// them all with one statement over arrays, each encoded at the position the silo expects (the size
/// the last flush left): the insert writes only if the log still has that size, and the transaction
/// answers the size after. That is one round trip per append, with the lock, the rows and the commit
/// in one implicit transaction. The first append, and one whose position another silo took, read
/// the size under the lock in an explicit transaction instead.
/// One flush runs at a time, so positions follow the order of the batches.
/// <para>
/// With the silo's <see cref="CommitPipeline"/>, an append rides the pipeline's next transaction
/// instead (<see cref="TransparencyCommitTable"/>), with the grain-state write that caused it when the
/// grain issues both at once: the same advisory lock, and positions taken from the log's size under it.
/// </para>
/// </remarks>
public sealed class PostgresTransparencyLog : ITransparencyLog
{
    /// <summary>The advisory lock every append takes ("FEDTLOG\0" in ASCII; advisory locks are scoped to one database).</summary>
    internal const long AppendLockKey = 0x4645_4454_4C4F_4700;

    // Written only at the position the appender expects: the log's size did not change meanwhile.
    private const string InsertSql = """
        INSERT INTO transparency_entry (idx, kind, time, job, dataset, peer, entry, leaf_hash)
        SELECT * FROM unnest(@idx::bigint[], @kind::text[], @time::timestamptz[], @job::text[], @dataset::text[], @peer::text[], @entry::bytea[], @leaf::bytea[])
        WHERE (SELECT coalesce(max(idx) + 1, 0) FROM transparency_entry) = @next
        """;

    private const string SizeSql = "SELECT coalesce(max(idx) + 1, 0) FROM transparency_entry";


    private const string QuerySql = """
        SELECT idx, entry, leaf_hash FROM transparency_entry
        WHERE idx >= @from
          AND (@job::text IS NULL OR job = @job) AND (@dataset::text IS NULL OR dataset = @dataset) AND (@peer::text IS NULL OR peer = @peer)
          AND (@kind::text IS NULL OR kind = @kind)
          AND (@since::timestamptz IS NULL OR time >= @since) AND (@until::timestamptz IS NULL OR time < @until)
        ORDER BY idx LIMIT @limit
        """;

    private const string AddHeadSql = """
        INSERT INTO transparency_head (size, time, nation, root, signer_key, signature)
        SELECT @size, @time, @nation, @root, @key, @signature
        WHERE NOT EXISTS (SELECT 1 FROM transparency_head WHERE size > @size OR time >= @time)
        """;

    // Leaves from the entries, higher levels from transparency_subtree (migration 0011), in one statement.
    private const string SubtreesSql = """
        SELECT 0::smallint, e.idx, e.leaf_hash FROM transparency_entry e WHERE e.idx = ANY(@leaves)
        UNION ALL
        SELECT s.level, s.idx, s.hash FROM transparency_subtree s
        JOIN unnest(@levels::smallint[], @indexes::bigint[]) AS w(level, idx) ON s.level = w.level AND s.idx = w.idx
        """;

    private const string AddSubtreesSql = """
        INSERT INTO transparency_subtree (level, idx, hash)
        SELECT * FROM unnest(@levels::smallint[], @indexes::bigint[], @hashes::bytea[])
        ON CONFLICT (level, idx) DO NOTHING
        """;

    private const string HeadColumns = "nation, size, root, time, signer_key, signature";

    private readonly NpgsqlDataSource _dataSource;
    private readonly CommitPipeline? _pipeline;
    private readonly TransparencyCommitTable? _table;

    // The log's size as the last flush left it (one flush at a time); null: read it first.
    private long? _next;

    /// <summary>Creates the log on the database behind <paramref name="dataSource"/> (migrated).</summary>
    /// <param name="dataSource">The nation's database.</param>
    /// <param name="pipeline">The silo's commit pipeline, whose transactions the appends ride; none: appends are transactions of their own.</param>
    public PostgresTransparencyLog(NpgsqlDataSource dataSource, CommitPipeline? pipeline = null)
    {
        _dataSource = dataSource;
        _pipeline = pipeline;
        _table = pipeline is null ? null : new TransparencyCommitTable();
        Appends = new GroupCommit<TransparencyEntry, LoggedEntry>(FlushAsync, e => e is PostgresException, maxConcurrentFlushes: 1);
    }

    /// <summary>The group commit of appends without a commit pipeline (counts of transactions and entries).</summary>
    public GroupCommit<TransparencyEntry, LoggedEntry> Appends { get; }

    /// <summary>Appends that rode the commit pipeline so far, and the pipeline transactions that held them.</summary>
    public (long Items, long Transactions) PipelineWrites => _pipeline is null ? default : _pipeline.CountsOf(_table!);

    /// <inheritdoc />
    /// <remarks>
    /// The task completes when the transaction holding this entry committed: with a commit pipeline,
    /// the pipeline's next transaction, shared with the writes issued at the same time.
    /// </remarks>
    public Task<LoggedEntry> AppendAsync(TransparencyEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _pipeline is null ? Appends.EnqueueAsync(entry) : _pipeline.WriteAsync<LoggedEntry>(_table!, entry);
    }

    /// <inheritdoc />
    public async Task<long> SizeAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(SizeSql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LoggedEntry>> ReadAsync(long start, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        await using var command = _dataSource.CreateCommand("SELECT idx, entry, leaf_hash FROM transparency_entry WHERE idx >= @start ORDER BY idx LIMIT @count");
        command.Parameters.Add(new NpgsqlParameter<long>("start", NpgsqlDbType.Bigint) { TypedValue = start });
        command.Parameters.Add(new NpgsqlParameter<int>("count", NpgsqlDbType.Integer) { TypedValue = count });
        return await RowsAsync(command, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LoggedEntry>> QueryAsync(TransparencyQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(query));
        }

        await using var command = _dataSource.CreateCommand(QuerySql);
        command.Parameters.Add(new NpgsqlParameter<long>("from", NpgsqlDbType.Bigint) { TypedValue = query.From });
        command.Parameters.Add(Text("job", query.Job));
        command.Parameters.Add(Text("dataset", query.Dataset));
        command.Parameters.Add(Text("peer", query.Peer));
        command.Parameters.Add(Text("kind", query.Kind is { } kind ? TransparencyEntryKinds.Name(kind) : null));
        command.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = (object?)query.Since?.UtcDateTime ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("until", NpgsqlDbType.TimestampTz) { Value = (object?)query.Until?.UtcDateTime ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<int>("limit", NpgsqlDbType.Integer) { TypedValue = query.Limit });
        return await RowsAsync(command, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<byte[]>> LeafHashesAsync(long size, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        await using var command = _dataSource.CreateCommand("SELECT leaf_hash FROM transparency_entry WHERE idx < @size ORDER BY idx");
        command.Parameters.Add(new NpgsqlParameter<long>("size", NpgsqlDbType.Bigint) { TypedValue = size });
        var hashes = new List<byte[]>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                hashes.Add(reader.GetFieldValue<byte[]>(0));
            }
        }

        return hashes.Count == size
            ? hashes
            : throw new ArgumentOutOfRangeException(nameof(size), size, $"The log holds {hashes.Count} entries below {size}.");
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<SubtreeId, byte[]>> SubtreeHashesAsync(IReadOnlyCollection<SubtreeId> nodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var found = new Dictionary<SubtreeId, byte[]>();
        if (nodes.Count == 0)
        {
            return found;
        }

        var upper = nodes.Where(n => n.Level > 0 && n.Level <= SubtreeId.MaxLevel).Distinct().ToList();
        await using var command = _dataSource.CreateCommand(SubtreesSql);
        command.Parameters.Add(new NpgsqlParameter<long[]>("leaves", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. nodes.Where(n => n.Level == 0).Select(n => n.Index).Distinct()] });
        command.Parameters.Add(new NpgsqlParameter<short[]>("levels", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { TypedValue = [.. upper.Select(n => (short)n.Level)] });
        command.Parameters.Add(new NpgsqlParameter<long[]>("indexes", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. upper.Select(n => n.Index)] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[new SubtreeId(reader.GetInt16(0), reader.GetInt64(1))] = reader.GetFieldValue<byte[]>(2);
        }

        return found;
    }

    /// <inheritdoc />
    public async Task AddSubtreeHashesAsync(IReadOnlyCollection<SubtreeHash> nodes, CancellationToken cancellationToken = default)
    {
        SubtreeHashes.Check(nodes);
        var distinct = nodes.DistinctBy(n => n.Node).ToList();
        if (distinct.Count == 0)
        {
            return;
        }

        await using var command = _dataSource.CreateCommand(AddSubtreesSql);
        command.Parameters.Add(new NpgsqlParameter<short[]>("levels", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { TypedValue = [.. distinct.Select(n => (short)n.Node.Level)] });
        command.Parameters.Add(new NpgsqlParameter<long[]>("indexes", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. distinct.Select(n => n.Node.Index)] });
        command.Parameters.Add(new NpgsqlParameter<byte[][]>("hashes", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. distinct.Select(n => n.Hash)] });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task AddHeadAsync(SignedTreeHead head, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(head);
        await using var command = _dataSource.CreateCommand(AddHeadSql);
        command.Parameters.Add(new NpgsqlParameter<long>("size", NpgsqlDbType.Bigint) { TypedValue = head.Head.Size });
        command.Parameters.Add(new NpgsqlParameter<DateTime>("time", NpgsqlDbType.TimestampTz) { TypedValue = head.Head.Time.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<string>("nation", NpgsqlDbType.Text) { TypedValue = head.Head.Nation });
        command.Parameters.Add(new NpgsqlParameter<byte[]>("root", NpgsqlDbType.Bytea) { TypedValue = head.Head.Root });
        command.Parameters.Add(new NpgsqlParameter<string>("key", NpgsqlDbType.Text) { TypedValue = head.SignerKey });
        command.Parameters.Add(new NpgsqlParameter<string>("signature", NpgsqlDbType.Text) { TypedValue = head.Signature });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new InvalidOperationException($"A tree head of size {head.Head.Size} at {head.Head.Time:O} goes back from the latest one kept.");
        }
    }

    /// <inheritdoc />
    public async Task<SignedTreeHead?> LatestHeadAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {HeadColumns} FROM transparency_head ORDER BY size DESC, time DESC LIMIT 1");
        var heads = await HeadsAsync(command, cancellationToken);
        return heads.Count == 0 ? null : heads[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SignedTreeHead>> HeadsAsync(long fromSize, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var command = _dataSource.CreateCommand($"SELECT {HeadColumns} FROM transparency_head WHERE size >= @from ORDER BY size, time LIMIT @limit");
        command.Parameters.Add(new NpgsqlParameter<long>("from", NpgsqlDbType.Bigint) { TypedValue = fromSize });
        command.Parameters.Add(new NpgsqlParameter<int>("limit", NpgsqlDbType.Integer) { TypedValue = limit });
        return await HeadsAsync(command, cancellationToken);
    }

    private async Task<IReadOnlyList<LoggedEntry>> FlushAsync(IReadOnlyList<TransparencyEntry> entries)
    {
        try
        {
            if (_next is { } next)
            {
                var (rows, written, size) = await TryAppendAtAsync(next, entries);
                _next = size;
                if (written)
                {
                    return rows;
                }
            }

            // The first append, or another silo appended since this one's last: read the size under the lock.
            var appended = await AppendUnderLockAsync(entries);
            _next = appended[^1].Index + 1;
            return appended;
        }
        catch
        {
            // Whatever happened, the next flush reads the log's size again.
            _next = null;
            throw;
        }
    }

    private async Task<LoggedEntry[]> AppendUnderLockAsync(IReadOnlyList<TransparencyEntry> entries)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter<long>("key", NpgsqlDbType.Bigint) { TypedValue = AppendLockKey });
            await lockCommand.ExecuteNonQueryAsync();
        }

        long next;
        await using (var size = new NpgsqlCommand(SizeSql, connection, transaction))
        {
            next = (long)(await size.ExecuteScalarAsync())!;
        }

        var rows = entries.Select((entry, i) => LoggedEntry.Of(next + i, entry)).ToArray();
        await using (var insert = new NpgsqlCommand(InsertSql, connection, transaction))
        {
            AddRows(insert.Parameters, next, entries, rows);
            if (await insert.ExecuteNonQueryAsync() != rows.Length)
            {
                throw new InvalidOperationException($"The transparency log's size changed under its append lock; {rows.Length} entries were not written.");
            }
        }

        await transaction.CommitAsync();
        return rows;
    }

    /// <summary>
    /// One round trip, one implicit transaction: the advisory lock, the rows encoded at
    /// <paramref name="next"/> inserted only if the log's size is still <paramref name="next"/>, and the
    /// log's size after. Rows are contiguous: under the lock no other silo appends, and a guessed
    /// position that another silo took writes nothing.
    /// </summary>
    private async Task<(LoggedEntry[] Rows, bool Written, long Size)> TryAppendAtAsync(long next, IReadOnlyList<TransparencyEntry> entries)
    {
        var rows = entries.Select((entry, i) => LoggedEntry.Of(next + i, entry)).ToArray();
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(@key)");
        lockCommand.Parameters.Add(new NpgsqlParameter<long>("key", NpgsqlDbType.Bigint) { TypedValue = AppendLockKey });
        batch.BatchCommands.Add(lockCommand);
        var insert = new NpgsqlBatchCommand(InsertSql);
        AddRows(insert.Parameters, next, entries, rows);
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(SizeSql));
        long size;
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            // The lock's row, then (past the insert, which answers none) the size.
            await reader.NextResultAsync();
            await reader.ReadAsync();
            size = reader.GetInt64(0);
            while (await reader.NextResultAsync())
            {
            }
        }

        var written = insert.RecordsAffected == rows.Length;
        return written || insert.RecordsAffected == 0
            ? (rows, written, size)
            : throw new InvalidOperationException($"A transparency append wrote {insert.RecordsAffected} of {rows.Length} entries.");
    }

    private static void AddRows(NpgsqlParameterCollection parameters, long next, IReadOnlyList<TransparencyEntry> entries, LoggedEntry[] rows)
    {
        parameters.Add(new NpgsqlParameter<long>("next", NpgsqlDbType.Bigint) { TypedValue = next });
        parameters.Add(new NpgsqlParameter<long[]>("idx", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. rows.Select(r => r.Index)] });
        parameters.Add(new NpgsqlParameter<string[]>("kind", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. entries.Select(e => TransparencyEntryKinds.Name(e.Kind))] });
        parameters.Add(new NpgsqlParameter<DateTime[]>("time", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = [.. entries.Select(e => e.Time.UtcDateTime)] });
        parameters.Add(new NpgsqlParameter<string?[]>("job", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. entries.Select(e => e.Job)] });
        parameters.Add(new NpgsqlParameter<string?[]>("dataset", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. entries.Select(e => e.Dataset)] });
        parameters.Add(new NpgsqlParameter<string?[]>("peer", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. entries.Select(e => e.Peer)] });
        parameters.Add(new NpgsqlParameter<byte[][]>("entry", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. rows.Select(r => r.Bytes)] });
        parameters.Add(new NpgsqlParameter<byte[][]>("leaf", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. rows.Select(r => r.LeafHash)] });
    }

    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static async Task<IReadOnlyList<LoggedEntry>> RowsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<LoggedEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new LoggedEntry(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<byte[]>(2)));
        }

        return rows;
    }

    private static async Task<IReadOnlyList<SignedTreeHead>> HeadsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var heads = new List<SignedTreeHead>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var time = new DateTimeOffset(reader.GetFieldValue<DateTime>(3), TimeSpan.Zero);
            heads.Add(new SignedTreeHead(new TreeHead(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2), time), reader.GetString(4), reader.GetString(5)));
        }

        return heads;
    }
}
