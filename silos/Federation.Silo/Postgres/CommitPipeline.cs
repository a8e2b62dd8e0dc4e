using Npgsql;

namespace Federation.Silo.Postgres;

/// <summary>
/// The silo's one commit pipeline to its nation's database: the writes of every kind that arrive
/// together — grain-state rows with their version checks, read-model upserts, lease sets and
/// removals, whatever implements <see cref="ICommitTable"/> — go to PostgreSQL as ONE
/// <see cref="NpgsqlBatch"/>, one transaction and one WAL flush, instead of one transaction per kind.
/// </summary>
/// <remarks>
/// <para>
/// This is the entry point for any new durable write on the hot path (the transparency log's
/// leaves, for one): implement <see cref="ICommitTable"/> and call <see cref="WriteAsync{T}"/>.
/// </para>
/// <para>
/// It is a <see cref="GroupCommit{TItem, TResult}"/>: a write's task completes only after the
/// transaction holding it committed. A batch without an explicit transaction is one implicit
/// transaction in PostgreSQL (one Sync for all its statements), so it commits or fails as a whole
/// without the round trips of BEGIN and COMMIT. When the server refuses a transaction, its writes
/// are retried one by one, and a write refused alone fails only its own caller (or is answered by
/// its table's <see cref="ICommitTable.RefusedAsync"/>). A caller whose writes are independent
/// should issue them at once, so that they meet in one transaction.
/// </para>
/// </remarks>
public sealed class CommitPipeline : IDisposable, Federation.Grains.Jobs.IWriteGrouping
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ICommitTable, (long Items, long Transactions)> _counts = [];
    private readonly bool _ownsDataSource;

    /// <summary>Creates a pipeline over <paramref name="dataSource"/> (not disposed with it).</summary>
    /// <param name="dataSource">The nation's database.</param>
    /// <param name="maxBatch">Most writes per transaction.</param>
    /// <param name="maxConcurrentFlushes">Most transactions in flight at once.</param>
    public CommitPipeline(NpgsqlDataSource dataSource, int maxBatch = 512, int maxConcurrentFlushes = 2)
        : this(dataSource, ownsDataSource: false, maxBatch, maxConcurrentFlushes)
    {
    }

    private CommitPipeline(NpgsqlDataSource dataSource, bool ownsDataSource, int maxBatch, int maxConcurrentFlushes)
    {
        DataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _ownsDataSource = ownsDataSource;
        Writes = new GroupCommit<(ICommitTable Table, object Item), object?>(FlushAsync, e => e is PostgresException, maxBatch, maxConcurrentFlushes);
    }

    /// <summary>The database the pipeline writes to.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The group commit under the pipeline (transactions, writes, largest transaction).</summary>
    public GroupCommit<(ICommitTable Table, object Item), object?> Writes { get; }

    /// <summary>
    /// A pipeline with a small connection pool of its own on <paramref name="connectionString"/>: at
    /// most <paramref name="maxConcurrentFlushes"/> + 1 connections, each preparing the few statements it repeats.
    /// </summary>
    public static CommitPipeline Create(string connectionString, int maxBatch = 512, int maxConcurrentFlushes = 2)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.MaxAutoPrepare = Math.Max(builder.ConnectionStringBuilder.MaxAutoPrepare, 8);
        builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        builder.ConnectionStringBuilder.MaxPoolSize = Math.Max(maxConcurrentFlushes + 1, 2);
        return new CommitPipeline(builder.Build(), ownsDataSource: true, maxBatch, maxConcurrentFlushes);
    }

    /// <summary>Queues <paramref name="item"/> of <paramref name="table"/>; completes with its answer once its transaction committed.</summary>
    public async Task<T> WriteAsync<T>(ICommitTable table, object item)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(item);
        return (T)(await Writes.EnqueueAsync((table, item)))!;
    }

    /// <inheritdoc />
    public IDisposable Together() => Writes.Hold();

    /// <summary>Writes of <paramref name="table"/> committed so far, and the transactions that held at least one.</summary>
    public (long Items, long Transactions) CountsOf(ICommitTable table)
    {
        lock (_gate)
        {
            return _counts.GetValueOrDefault(table);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            DataSource.Dispose();
        }
    }

    private async Task<IReadOnlyList<object?>> FlushAsync(IReadOnlyList<(ICommitTable Table, object Item)> writes)
    {
        try
        {
            return await WriteAsync(writes);
        }
        catch (PostgresException e) when (writes.Count == 1)
        {
            return [await writes[0].Table.RefusedAsync(writes[0].Item, e)];
        }
    }

    private async Task<IReadOnlyList<object?>> WriteAsync(IReadOnlyList<(ICommitTable Table, object Item)> writes)
    {
        // Each table's items keep their queue order; the tables go in their lock order.
        var tables = new List<(ICommitTable Table, List<int> At)>();
        for (var i = 0; i < writes.Count; i++)
        {
            var at = tables.FindIndex(t => ReferenceEquals(t.Table, writes[i].Table));
            if (at < 0)
            {
                tables.Add((writes[i].Table, [i]));
            }
            else
            {
                tables[at].At.Add(i);
            }
        }

        tables.Sort((a, b) => a.Table.Order != b.Table.Order ? a.Table.Order.CompareTo(b.Table.Order) : string.CompareOrdinal(a.Table.Name, b.Table.Name));
        var results = new object?[writes.Count];
        await using var connection = await DataSource.OpenConnectionAsync();
        await using (var batch = new NpgsqlBatch(connection))
        {
            var readers = tables.Select(t => t.Table.AddCommands(batch, [.. t.At.Select(i => writes[i].Item)])).ToList();
            await using var reader = await batch.ExecuteReaderAsync();
            for (var t = 0; t < tables.Count; t++)
            {
                var answers = await readers[t](reader);
                if (answers.Count != tables[t].At.Count)
                {
                    throw new InvalidOperationException($"Commit table '{tables[t].Table.Name}' answered {answers.Count} results for {tables[t].At.Count} writes.");
                }

                for (var k = 0; k < answers.Count; k++)
                {
                    results[tables[t].At[k]] = answers[k];
                }
            }

            // The statements after the last answer run (and may fail) as the reader moves past them.
            while (await reader.NextResultAsync())
            {
            }
        }

        lock (_gate)
        {
            foreach (var (table, at) in tables)
            {
                var (items, transactions) = _counts.GetValueOrDefault(table);
                _counts[table] = (items + at.Count, transactions + 1);
            }
        }

        return results;
    }
}
