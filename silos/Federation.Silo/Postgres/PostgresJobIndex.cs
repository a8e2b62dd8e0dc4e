using System.Collections.Immutable;
using System.Text.Json;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Grains.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Federation.Silo.Postgres;

/// <summary>
/// The job read model in PostgreSQL (table <c>job</c> of migration <c>0003_jobs.sql</c>), with the
/// semantics of <see cref="IJobIndex"/> and the same answers as <see cref="InMemoryJobIndex"/>.
/// </summary>
/// <remarks>
/// Each row keeps the whole record as JSON (<see cref="FederationJson.Options"/>) next to the
/// columns that the list filters on. A write replaces a row only with a higher version, so that
/// several silos, retries and reordered writes leave the newest record. Pages are keysets over the
/// <c>COLLATE "C"</c> global id, which is ordinal order. A record that PostgreSQL refuses for good
/// (a data exception, SQLSTATE class 22, or a broken constraint, class 23: jsonb refuses NUL, for
/// one) is written once to <c>read_model_dead_letter</c> with the reason and logged, and its write
/// completes, so that the job grain does not retry it for ever; the grain's state keeps the truth,
/// and a later version that stores fine replaces it in the list. Upserts go through the silo's
/// <see cref="CommitPipeline"/>, in the same transactions as the grains' state writes.
/// </remarks>
public sealed partial class PostgresJobIndex : IJobIndex, ICommitTable
{
    /// <summary>Largest page a query returns, whatever it asks for.</summary>
    public const int MaxLimit = 500;

    private const string UpsertSql = """
        INSERT INTO job AS stored (id, version, state, owner_user, nation, submitted_at, updated_at, document)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (id) DO UPDATE
        SET version = EXCLUDED.version, state = EXCLUDED.state, owner_user = EXCLUDED.owner_user, nation = EXCLUDED.nation,
            submitted_at = EXCLUDED.submitted_at, updated_at = EXCLUDED.updated_at, document = EXCLUDED.document
        WHERE stored.version < EXCLUDED.version
        """;

    private const string DeadLetterSql = """
        INSERT INTO read_model_dead_letter (kind, key, version, sql_state, reason, document)
        VALUES ('job', @key, @version, @sql_state, @reason, @document)
        ON CONFLICT (kind, key, version) DO UPDATE
        SET sql_state = EXCLUDED.sql_state, reason = EXCLUDED.reason, failed_at = now()
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly CommitPipeline _pipeline;
    private long _deadLettered;

    /// <summary>Creates the index on the database behind <paramref name="dataSource"/> (migrated).</summary>
    /// <param name="dataSource">The nation's database.</param>
    /// <param name="logger">Where dead-lettered writes are reported; none in tests that do not care.</param>
    /// <param name="pipeline">The silo's commit pipeline; none: one of its own on <paramref name="dataSource"/>.</param>
    public PostgresJobIndex(NpgsqlDataSource dataSource, ILogger<PostgresJobIndex>? logger = null, CommitPipeline? pipeline = null)
    {
        _dataSource = dataSource;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _pipeline = pipeline ?? new CommitPipeline(dataSource);
    }

    /// <summary>Writes dead-lettered so far by this index (since start).</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Upserts committed so far, and the transactions that held them.</summary>
    public (long Items, long Transactions) Upserts => _pipeline.CountsOf(this);

    /// <inheritdoc />
    string ICommitTable.Name => "job read model";

    /// <inheritdoc />
    int ICommitTable.Order => 10;

    /// <inheritdoc />
    /// <remarks>
    /// Upserts that arrive together share one transaction (group commit); the task completes when
    /// the transaction holding this upsert committed. <paramref name="cancellationToken"/> does not
    /// take back a queued upsert.
    /// </remarks>
    public Task UpsertAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return _pipeline.WriteAsync<bool>(this, job);
    }

    /// <inheritdoc />
    async Task<object?> ICommitTable.RefusedAsync(object item, PostgresException refusal)
    {
        if (!IsPermanent(refusal.SqlState))
        {
            throw refusal;
        }

        // Alone (the pipeline retries a refused transaction one write at a time): no retry can cure it.
        await DeadLetterAsync((JobRecord)item, refusal);
        return false;
    }

    private async Task DeadLetterAsync(JobRecord job, PostgresException refusal)
    {
        var reason = $"{refusal.SqlState}: {refusal.MessageText}";
        await using var command = _dataSource.CreateCommand(DeadLetterSql);
        command.Parameters.Add(Text("key", job.Ref.ToString()));
        command.Parameters.Add(new NpgsqlParameter<int>("version", NpgsqlDbType.Integer) { TypedValue = job.Version });
        command.Parameters.Add(Text("sql_state", refusal.SqlState));
        command.Parameters.Add(Text("reason", reason));
        command.Parameters.Add(Text("document", JsonSerializer.Serialize(job, FederationJson.Options)));
        await command.ExecuteNonQueryAsync();
        Interlocked.Increment(ref _deadLettered);
        LogDeadLettered(_logger, job.Ref.ToString(), job.Version, reason);
    }

    private static bool IsPermanent(string sqlState) => sqlState.StartsWith("22", StringComparison.Ordinal) || sqlState.StartsWith("23", StringComparison.Ordinal);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "Read-model write of job {Job} v{Version} refused permanently ({Reason}); dead-lettered in read_model_dead_letter and not retried")]
    private static partial void LogDeadLettered(ILogger logger, string job, int version, string reason);

    /// <inheritdoc />
    Func<NpgsqlDataReader, Task<IReadOnlyList<object?>>> ICommitTable.AddCommands(NpgsqlBatch batch, IReadOnlyList<object> items)
    {
        // Of several versions of one job in the group only the newest needs writing; in id order,
        // so that concurrent transactions lock rows in one order.
        var newest = items.Cast<JobRecord>().GroupBy(j => j.Ref.ToString(), StringComparer.Ordinal)
            .Select(g => (Id: g.Key, Job: g.MaxBy(j => j.Version)!))
            .OrderBy(j => j.Id, StringComparer.Ordinal)
            .ToList();
        foreach (var (id, job) in newest)
        {
            // Positional parameters (Npgsql sends the text as it is, with no parse per command) and the
            // document as the serializer's UTF-8 (no string of it).
            var command = new NpgsqlBatchCommand(UpsertSql);
            command.Parameters.Add(Text(null, id));
            command.Parameters.Add(new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = job.Version });
            command.Parameters.Add(Text(null, JobEvents.Name(job.State)));
            command.Parameters.Add(Text(null, job.Spec.Owner.User));
            command.Parameters.Add(Text(null, job.Nation?.Value));
            command.Parameters.Add(Timestamp(null, job.SubmittedAt));
            command.Parameters.Add(Timestamp(null, job.UpdatedAt));
            command.Parameters.Add(new NpgsqlParameter<byte[]> { NpgsqlDbType = NpgsqlDbType.Jsonb, TypedValue = JsonSerializer.SerializeToUtf8Bytes(job, FederationJson.Options) });
            batch.BatchCommands.Add(command);
        }

        IReadOnlyList<object?> written = [.. items.Select(_ => (object?)true)];
        return _ => Task.FromResult(written);
    }

    /// <inheritdoc />
    public async Task<JobPage> QueryAsync(JobQuery query, CancellationToken cancellationToken)
    {
        // Only constant conditions are joined into the text; every value is a parameter.
        var conditions = new List<string>(4);
        var parameters = new List<NpgsqlParameter>(5);
        if (query.State is { } state)
        {
            conditions.Add("state = @state");
            parameters.Add(Text("state", JobEvents.Name(state)));
        }

        if (query.Owner is not null)
        {
            conditions.Add("owner_user = @owner");
            parameters.Add(Text("owner", query.Owner));
        }

        if (query.Nation is not null)
        {
            conditions.Add("nation = @nation");
            parameters.Add(Text("nation", query.Nation));
        }

        if (query.After is not null)
        {
            conditions.Add("id > @after");
            parameters.Add(Text("after", query.After));
        }

        var pageSize = ClampLimit(query.Limit);
        var where = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        var sql = $"SELECT id, document::text FROM job{where} ORDER BY id LIMIT @limit";
        await using var command = _dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter);
        }

        // One more than the page, to know whether another page follows.
        command.Parameters.Add(new NpgsqlParameter<int>("limit", NpgsqlDbType.Integer) { TypedValue = pageSize + 1 });
        var items = ImmutableArray.CreateBuilder<JobRecord>(Math.Min(pageSize + 1, 64));
        var ids = new List<string>(Math.Min(pageSize + 1, 64));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetString(0));
                items.Add(JsonSerializer.Deserialize<JobRecord>(reader.GetString(1), FederationJson.Options)
                    ?? throw new InvalidDataException($"Job '{ids[^1]}' holds a null document."));
            }
        }

        if (items.Count <= pageSize)
        {
            return new JobPage(items.ToImmutable(), null);
        }

        items.RemoveAt(items.Count - 1);
        return new JobPage(items.ToImmutable(), ids[pageSize - 1]);
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string job, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("DELETE FROM job WHERE id = @id");
        command.Parameters.Add(Text("id", job));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Clamps a requested page size to 1..<see cref="MaxLimit"/>.</summary>
    internal static int ClampLimit(int limit) => Math.Clamp(limit, 1, MaxLimit);

    // A null name: a positional parameter.
    private static NpgsqlParameter Text(string? name, string? value) =>
        new() { ParameterName = name ?? string.Empty, NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    // timestamptz takes UTC only; the document keeps the record's own offset.
    private static NpgsqlParameter<DateTimeOffset> Timestamp(string? name, DateTimeOffset value) =>
        new() { ParameterName = name ?? string.Empty, NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = value.ToUniversalTime() };
}
