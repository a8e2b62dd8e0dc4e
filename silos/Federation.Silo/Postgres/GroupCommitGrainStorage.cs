using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using Orleans.Configuration.Overrides;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Federation.Silo.Postgres;

/// <summary>
/// Grain storage on the ADO.NET provider's table (<c>OrleansStorage</c>, migration
/// <c>0001_orleans.sql</c>) whose writes are group-committed: the writes of many grains that arrive
/// together go to PostgreSQL in ONE transaction (an <see cref="NpgsqlBatch"/> of the registry's own
/// <c>WriteToStorageKey</c> statement, one per grain), instead of one transaction (and one WAL
/// flush) each. The transaction is the silo's <see cref="CommitPipeline"/>'s, shared with the
/// read models' and the lease index's writes. Reads and clears are the ADO.NET provider's own.
/// </summary>
/// <remarks>
/// <para>
/// Rows are exactly the provider's: the same key columns (hashes from the provider's configured
/// <see cref="AdoNetGrainStorageOptions.HashPicker"/>, the state name as <c>GrainTypeString</c>,
/// string keys in <c>GrainIdExtensionString</c>), the same payload (the configured
/// <see cref="AdoNetGrainStorageOptions.GrainStorageSerializer"/>), and the same version as ETag.
/// So the provider, the read-model rebuild and earlier rows all keep working.
/// </para>
/// <para>
/// Optimistic concurrency is per grain: the statement updates only the row holding the grain's
/// version (or inserts only when no row exists) and answers NULL otherwise, which fails that
/// grain's write alone with <see cref="InconsistentStateException"/>; the other writes of the
/// transaction commit. A write's task completes only after the transaction holding it committed.
/// Statements run in key order, so that two silos' transactions take row locks in the same order.
/// </para>
/// </remarks>
public sealed partial class GroupCommitGrainStorage : IGrainStorage, ICommitTable, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private const string QueryKey = "WriteToStorageKey";
    private const string ReadQueryKey = "ReadFromStorageKey";

    private readonly string _name;
    private readonly AdoNetGrainStorage _inner;
    private readonly AdoNetGrainStorageOptions _options;
    private readonly string _serviceId;
    private readonly ILogger<GroupCommitGrainStorage> _logger;
    private readonly CommitPipeline _pipeline;
    private readonly bool _ownsPipeline;
    private readonly IStorageHasherPicker _hashPicker;
    private readonly Serializer? _pooled;
    private readonly IActivatorProvider? _activators;
    private string? _writeSql;
    private GrainStateReads? _reads;
    private bool _participating;
    private ITimer? _statistics;
    private (long Transactions, long Writes) _reported;
    private (long Transactions, long Writes) _reportedAll;

    /// <summary>Creates the storage named <paramref name="name"/> over <paramref name="inner"/> (reads, clears) and its options.</summary>
    /// <param name="name">The storage's name (e.g. <c>jobs</c>).</param>
    /// <param name="inner">The ADO.NET provider of the same name, for reads and clears.</param>
    /// <param name="options">The provider's options: connection string, serializer, hash picker.</param>
    /// <param name="serviceId">The Orleans ServiceId (part of every row's key).</param>
    /// <param name="logger">Logger.</param>
    /// <param name="pipeline">The silo's commit pipeline; none: one of its own on the options' connection string.</param>
    /// <param name="serializer">
    /// The silo's serializer: when the options' storage serializer is Orleans' own, payloads are written with it into
    /// pooled buffers (the same bytes, without the growing and copying buffers of each write); none: the options' serializer.
    /// </param>
    /// <param name="activators">
    /// The silo's activators, for the empty state of a grain with no row: with them, reads are batched (<see cref="GrainStateReads"/>);
    /// none: the provider reads, one query each.
    /// </param>
    public GroupCommitGrainStorage(string name, AdoNetGrainStorage inner, AdoNetGrainStorageOptions options, string serviceId, ILogger<GroupCommitGrainStorage> logger, CommitPipeline? pipeline = null, Serializer? serializer = null, IActivatorProvider? activators = null)
    {
        _activators = activators;
        _name = name;
        _inner = inner;
        _options = options;
        _serviceId = serviceId;
        _logger = logger;
        _hashPicker = options.HashPicker ?? new StorageHasherPicker([new OrleansDefaultHasher()]);
        _pooled = options.GrainStorageSerializer?.GetType() == typeof(OrleansGrainStorageSerializer) ? serializer : null;

        _ownsPipeline = pipeline is null;
        _pipeline = pipeline ?? CommitPipeline.Create(options.ConnectionString ?? throw new ArgumentException($"The grain storage {name} has no connection string.", nameof(options)));
        Federation.Silo.Telemetry.PipelineMetrics.TrackStorage(this, name, () => _pipeline.CountsOf(this));
    }

    /// <summary>The group commit that this storage's writes go through (the silo's commit pipeline: its counts include the other tables' writes).</summary>
    public GroupCommit<(ICommitTable Table, object Item), object?> Writes => _pipeline.Writes;

    /// <summary>Whether payloads are serialized with Orleans' serializer into pooled buffers (the options' serializer is Orleans' own).</summary>
    public bool PooledPayloads => _pooled is not null;

    /// <inheritdoc />
    string ICommitTable.Name => $"grain state {_name}";

    /// <inheritdoc />
    /// <remarks>First: its statements answer rows (the new version).</remarks>
    int ICommitTable.Order => 0;

    /// <summary>Creates the storage registered under <paramref name="name"/> from the silo's services (see <see cref="GroupCommitStorageExtensions"/>).</summary>
    public static GroupCommitGrainStorage Create(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(name);
        return new GroupCommitGrainStorage(
            name,
            AdoNetGrainStorageFactory.Create(services, name),
            options,
            services.GetProviderClusterOptions(name).Value.ServiceId,
            services.GetRequiredService<ILogger<GroupCommitGrainStorage>>(),
            services.GetService<CommitPipeline>(),
            services.GetService<Serializer>(),
            services.GetService<IActivatorProvider>());
    }

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        // Registered once by name; tolerate a second registration of the same instance.
        if (_participating)
        {
            return;
        }

        _participating = true;
        _inner.Participate(lifecycle);
        lifecycle.Subscribe($"{nameof(GroupCommitGrainStorage)}-{_name}", _options.InitStage, InitAsync, _ =>
        {
            _statistics?.Dispose();
            ReportStatistics();
            return Task.CompletedTask;
        });
    }

    /// <summary>Reads the write and read statements from the query registry (what the ADO.NET provider runs).</summary>
    public async Task InitAsync(CancellationToken cancellationToken)
    {
        _writeSql = PositionalSql.Rewrite(await RegistryStatementAsync(QueryKey, cancellationToken), [.. GrainStateReads.KeyNames, "GrainStateVersion", "PayloadBinary"]);
        if (_activators is not null)
        {
            _reads = new GrainStateReads(_pipeline.DataSource, await RegistryStatementAsync(ReadQueryKey, cancellationToken), _serviceId);
        }

        LogReady(_logger, _name, _pipeline.Writes.MaxBatch, _pipeline.Writes.MaxConcurrentFlushes);
        _statistics ??= TimeProvider.System.CreateTimer(_ => ReportStatistics(), null, StatisticsEvery, StatisticsEvery);
    }

    /// <summary>The batched reads (once initialised, when the silo's activators were given); null: the provider reads.</summary>
    public GrainStateReads? Reads => _reads;

    private async Task<string> RegistryStatementAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = _pipeline.DataSource.CreateCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = @key");
        command.Parameters.AddWithValue("key", key);
        var text = await command.ExecuteScalarAsync(cancellationToken) as string
            ?? throw new InvalidOperationException($"The query registry (OrleansQuery) has no {key}; run the schema migrations.");

        // One statement per batch command: drop the registry text's closing semicolon.
        return text.Trim().TrimEnd(';').TrimEnd();
    }

    /// <summary>How often the writes and transactions since the last report are logged (when there were any).</summary>
    public static TimeSpan StatisticsEvery { get; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        ReadStateAsync(stateName, grainId, grainState);

    /// <inheritdoc />
    /// <remarks>As the provider reads: the row's payload through the options' serializer (the empty state when there is no row
    /// or no payload), its version as the ETag (none without a row), and whether the row exists.</remarks>
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_reads is null || _activators is null || stateName.Contains('`', StringComparison.Ordinal))
        {
            // Not initialised yet, or a generic type name that the provider reformats: its own path.
            await _inner.ReadStateAsync(stateName, grainId, grainState);
            return;
        }

        var key = StorageKey.Of(grainId);
        var grainIdHash = _hashPicker.PickHasher(_serviceId, _name, stateName, grainId, grainState)!.Hash(key.HashBytes());
        var grainTypeHash = _hashPicker.PickHasher(_serviceId, _name, stateName, grainId, grainState)!.Hash(Encoding.UTF8.GetBytes(stateName));
        var row = await _reads.ReadAsync(new PendingRead(grainIdHash, key.N0, key.N1, grainTypeHash, stateName, key.Extension));
        var state = row?.Payload is { } payload ? _options.GrainStorageSerializer.Deserialize<T>(new BinaryData(payload)) : default;
        grainState.State = state ?? _activators.GetActivator<T>().Create();
        grainState.ETag = row?.Version?.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = row is not null;
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => _inner.ClearStateAsync(stateName, grainId, grainState);

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        _inner.ClearStateAsync(stateName, grainId, grainState, cancellationToken);

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        WriteStateAsync(stateName, grainId, grainState);

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_writeSql is null || stateName.Contains('`', StringComparison.Ordinal))
        {
            // Not initialised yet, or a generic type name that the provider reformats: its own path.
            await _inner.WriteStateAsync(stateName, grainId, grainState);
            return;
        }

        var key = StorageKey.Of(grainId);
        // Picked once per hash, as the provider does (a picker may answer a content-aware hasher).
        var grainIdHash = _hashPicker.PickHasher(_serviceId, _name, stateName, grainId, grainState)!.Hash(key.HashBytes());
        var grainTypeHash = _hashPicker.PickHasher(_serviceId, _name, stateName, grainId, grainState)!.Hash(Encoding.UTF8.GetBytes(stateName));
        int? version = string.IsNullOrWhiteSpace(grainState.ETag) ? null : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);

        // Serialized now, before the grain can change its state again.
        var (payload, rented) = Serialize(grainState.State);
        int? written;
        try
        {
            written = await _pipeline.WriteAsync<int?>(this, new PendingWrite(grainIdHash, key.N0, key.N1, grainTypeHash, stateName, key.Extension, version, payload));
        }
        finally
        {
            // The write's task completes only once its transaction is over (committed, refused or failed): nothing reads the payload after.
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        // The provider's rule: no new version, or the same one, means the condition failed.
        var stored = written?.ToString(CultureInfo.InvariantCulture) ?? "";
        if (stored.Length == 0 || stored == grainState.ETag)
        {
            throw new InconsistentStateException(
                $"Version conflict (WriteState): ServiceId={_serviceId} ProviderName={_name} GrainType={stateName} GrainId={key} ETag={grainState.ETag}.");
        }

        grainState.ETag = stored;
        grainState.RecordExists = true;
    }

    // This thread's buffer for serializing (serializing is synchronous), kept between writes unless one grew it past the bound.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    private const int ScratchKeptBytes = 4 << 20;

    /// <summary>
    /// <paramref name="state"/>'s payload: in an array rented from the shared pool (returned by the caller once the write is
    /// over) when the serializer is Orleans' own, else as the options' serializer gives it (nothing rented).
    /// </summary>
    private (ReadOnlyMemory<byte> Payload, byte[]? Rented) Serialize<T>(T state)
    {
        if (_pooled is null)
        {
            return (_options.GrainStorageSerializer.Serialize(state).ToMemory(), null);
        }

        var scratch = t_scratch ?? new ArrayBufferWriter<byte>(4096);
        t_scratch = null;
        scratch.ResetWrittenCount();
        _pooled.Serialize(state, scratch); // what OrleansGrainStorageSerializer does, into a buffer of its own
        var length = scratch.WrittenCount;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        scratch.WrittenSpan.CopyTo(rented);
        if (scratch.Capacity <= ScratchKeptBytes)
        {
            t_scratch = scratch;
        }

        return (rented.AsMemory(0, length), rented);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _statistics?.Dispose();
        Federation.Silo.Telemetry.PipelineMetrics.RetireStorage(this);
        if (_ownsPipeline)
        {
            _pipeline.Dispose();
        }
    }

    private void ReportStatistics()
    {
        var (items, held) = _pipeline.CountsOf(this);
        var (transactions, writes) = (held - _reported.Transactions, items - _reported.Writes);
        _reported = (held, items);
        if (transactions > 0)
        {
            LogStatistics(_logger, _name, writes, transactions, (double)writes / transactions, _pipeline.Writes.LargestBatch, _pipeline.Writes.RetriedAlone);
        }

        var all = (_pipeline.Writes.Transactions, _pipeline.Writes.Items);
        var (allTransactions, allWrites) = (all.Transactions - _reportedAll.Transactions, all.Items - _reportedAll.Writes);
        _reportedAll = all;
        if (allTransactions > 0)
        {
            LogPipelineStatistics(_logger, allWrites, allTransactions, (double)allWrites / allTransactions);
        }
    }

    /// <inheritdoc />
    Task<object?> ICommitTable.RefusedAsync(object item, PostgresException refusal) => Task.FromException<object?>(refusal);

    /// <inheritdoc />
    Func<NpgsqlDataReader, Task<IReadOnlyList<object?>>> ICommitTable.AddCommands(NpgsqlBatch batch, IReadOnlyList<object> items)
    {
        var writes = items.Cast<PendingWrite>().ToList();
        var sql = _writeSql!;

        // Key order: concurrent transactions (other flushers, other silos) lock rows in one order.
        var order = Enumerable.Range(0, writes.Count)
            .OrderBy(i => writes[i].GrainIdHash)
            .ThenBy(i => writes[i].Extension, StringComparer.Ordinal)
            .ThenBy(i => writes[i].GrainTypeString, StringComparer.Ordinal)
            .ThenBy(i => writes[i].N1)
            .ThenBy(i => writes[i].N0)
            .ToArray();
        foreach (var i in order)
        {
            batch.BatchCommands.Add(Command(sql, writes[i]));
        }

        return async reader =>
        {
            var results = new object?[writes.Count];
            foreach (var i in order)
            {
                results[i] = await reader.ReadAsync() && !await reader.IsDBNullAsync(0) ? reader.GetInt32(0) : null;
                await reader.NextResultAsync();
            }

            return results;
        };
    }

    private NpgsqlBatchCommand Command(string sql, PendingWrite write)
    {
        var command = new NpgsqlBatchCommand(sql);
        var parameters = command.Parameters;
        GrainStateReads.AddKey(parameters, new PendingRead(write.GrainIdHash, write.N0, write.N1, write.GrainTypeHash, write.GrainTypeString, write.Extension), _serviceId);
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = write.Version is { } v ? v : DBNull.Value });
        parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = write.Payload });
        return command;
    }

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Grain storage {Name}: {Writes} writes in {Transactions} transactions ({PerTransaction:F1} per transaction; largest so far {Largest}; transactions retried write by write so far {RetriedAlone})")]
    private static partial void LogStatistics(ILogger logger, string name, long writes, long transactions, double perTransaction, long largest, long retriedAlone);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Commit pipeline: {Writes} writes of every kind in {Transactions} transactions ({PerTransaction:F1} per transaction)")]
    private static partial void LogPipelineStatistics(ILogger logger, long writes, long transactions, double perTransaction);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Grain storage {Name}: group commit ready (up to {MaxBatch} writes per transaction, {Flushers} transactions in flight)")]
    private static partial void LogReady(ILogger logger, string name, int maxBatch, int flushers);
}
