using Npgsql;
using NpgsqlTypes;

namespace Federation.Silo.Postgres;

/// <summary>One grain's read waiting for a batch: the key columns of its row.</summary>
/// <param name="GrainIdHash">Hash of the grain key (the provider's hash picker).</param>
/// <param name="N0">First half of a GUID key, else 0.</param>
/// <param name="N1">Second half of a GUID key or the integer key, else 0.</param>
/// <param name="GrainTypeHash">Hash of the state name.</param>
/// <param name="GrainTypeString">The state name (e.g. <c>job</c>).</param>
/// <param name="Extension">The whole key of a string-keyed grain, or a key extension.</param>
public sealed record PendingRead(int GrainIdHash, long N0, long N1, int GrainTypeHash, string GrainTypeString, string? Extension);

/// <summary>A grain's stored row: its payload (null when the column is) and version.</summary>
/// <param name="Payload">The serialized state.</param>
/// <param name="Version">The row's version (the grain's ETag).</param>
public sealed record StoredRow(byte[]? Payload, int? Version);

/// <summary>
/// Grain state reads gathered as group commit gathers writes: a read starts at once when fewer than two batches
/// are in flight, so a lone read waits for nothing; the reads that come while batches are in flight (the
/// activations of a burst of jobs) leave together, as ONE <see cref="NpgsqlBatch"/> of the registry's own
/// <c>ReadFromStorageKey</c> statement per grain: one connection, one round trip and one (read-only)
/// transaction for all of them, instead of one each.
/// </summary>
public sealed class GrainStateReads
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _sql;
    private readonly string _serviceId;
    private readonly GroupCommit<PendingRead, StoredRow?> _reads;

    /// <summary>The registry statements' names of a row's key, in the order <see cref="AddKey"/> adds their values.</summary>
    public static IReadOnlyList<string> KeyNames { get; } =
        ["GrainIdHash", "GrainIdN0", "GrainIdN1", "GrainTypeHash", "GrainTypeString", "GrainIdExtensionString", "ServiceId"];

    /// <summary>Reads rows of <paramref name="serviceId"/> with <paramref name="sql"/> (the registry's read statement, without its closing semicolon, its <see cref="KeyNames"/> made positional once here).</summary>
    /// <param name="dataSource">Where connections come from.</param>
    /// <param name="sql">The read statement.</param>
    /// <param name="serviceId">The Orleans ServiceId (part of every row's key).</param>
    /// <param name="maxBatch">Most reads per batch.</param>
    public GrainStateReads(NpgsqlDataSource dataSource, string sql, string serviceId, int maxBatch = 256)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _sql = PositionalSql.Rewrite(sql, KeyNames);
        _serviceId = serviceId;
        _reads = new GroupCommit<PendingRead, StoredRow?>(ReadBatchAsync, _ => false, maxBatch);
    }

    /// <summary>Batches of reads done so far.</summary>
    public long Batches => _reads.Transactions;

    /// <summary>Reads done so far.</summary>
    public long Reads => _reads.Items;

    /// <summary>The row of <paramref name="read"/>'s grain, or null when it has none.</summary>
    public Task<StoredRow?> ReadAsync(PendingRead read) => _reads.EnqueueAsync(read);

    /// <summary>
    /// Adds the values of a row's key for <paramref name="key"/> of <paramref name="serviceId"/>, unnamed, in
    /// <see cref="KeyNames"/>' order: for a statement whose placeholders <see cref="PositionalSql"/> made positional.
    /// </summary>
    public static void AddKey(NpgsqlParameterCollection parameters, PendingRead key, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(key);
        parameters.Add(new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = key.GrainIdHash });
        parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = key.N0 });
        parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = key.N1 });
        parameters.Add(new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = key.GrainTypeHash });
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Varchar, Value = key.GrainTypeString });
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Varchar, Value = (object?)key.Extension ?? DBNull.Value });
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Varchar, Value = serviceId });
    }

    private async Task<IReadOnlyList<StoredRow?>> ReadBatchAsync(IReadOnlyList<PendingRead> reads)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        foreach (var read in reads)
        {
            var command = new NpgsqlBatchCommand(_sql);
            AddKey(command.Parameters, read, _serviceId);
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync();
        var rows = new StoredRow?[reads.Count];
        for (var i = 0; i < reads.Count; i++)
        {
            if (await reader.ReadAsync())
            {
                rows[i] = new StoredRow(
                    await reader.IsDBNullAsync(0) ? null : await reader.GetFieldValueAsync<byte[]>(0),
                    await reader.IsDBNullAsync(1) ? null : reader.GetInt32(1));
                if (await reader.ReadAsync())
                {
                    throw new InvalidOperationException($"Grain state {reads[i].GrainTypeString} {reads[i].Extension ?? $"{reads[i].N0}/{reads[i].N1}"} has more than one row.");
                }
            }

            await reader.NextResultAsync();
        }

        return rows;
    }
}
