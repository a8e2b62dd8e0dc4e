using System.Text;
using System.Text.Json;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Ids;
using Federation.Contracts.Peers;
using Federation.Contracts.Json;
using Federation.Grains.Catalogue.Index;
using Npgsql;
using NpgsqlTypes;

namespace Federation.Silo.Postgres;

/// <summary>
/// The catalogue read model in PostgreSQL (tables of migration <c>0002_catalogue.sql</c>), with the
/// semantics documented on <see cref="ICatalogueIndex"/>.
/// </summary>
/// <remarks>
/// Each row keeps the whole record as JSON (<see cref="FederationJson.Options"/>) next to the
/// columns that queries filter on, and a lower-cased search text that <c>ILIKE</c> matches through a
/// trigram index. Pages are keysets over the <c>COLLATE "C"</c> primary key, which is ordinal order.
/// </remarks>
public sealed class PostgresCatalogueIndex : ICatalogueIndex
{
    /// <summary>Largest page a query returns, whatever it asks for.</summary>
    public const int MaxLimit = 500;

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates the index on the database behind <paramref name="dataSource"/> (migrated).</summary>
    public PostgresCatalogueIndex(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    /// <inheritdoc />
    public async Task UpsertDatasetAsync(DatasetRecord record, CancellationToken cancellationToken = default)
    {
        const string Sql = """
            INSERT INTO catalogue_datasets AS stored (key, version, status, tags, licence, visibility, search_text, document, updated_at)
            VALUES (@key, @version, @status, @tags, @licence, @visibility, @search_text, @document, now())
            ON CONFLICT (key) DO UPDATE
            SET version = EXCLUDED.version, status = EXCLUDED.status, tags = EXCLUDED.tags, licence = EXCLUDED.licence,
                visibility = EXCLUDED.visibility, search_text = EXCLUDED.search_text, document = EXCLUDED.document,
                updated_at = EXCLUDED.updated_at
            WHERE stored.version < EXCLUDED.version
            """;
        var spec = record.Spec;
        await using var command = _dataSource.CreateCommand(Sql);
        command.Parameters.AddWithValue("key", spec.Id.ToString());
        command.Parameters.AddWithValue("version", record.Version);
        command.Parameters.AddWithValue("status", StatusText(record.Status));
        command.Parameters.AddWithValue("tags", spec.Tags.IsDefault ? [] : spec.Tags.ToArray());
        command.Parameters.AddWithValue("licence", spec.Licence.ToString());
        command.Parameters.AddWithValue("visibility", spec.Visibility == Visibility.Public ? "public" : "private");
        command.Parameters.AddWithValue("search_text", SearchText(spec.Id.ToString(), spec.Title, spec.Description, string.Join(' ', spec.Tags.IsDefault ? [] : spec.Tags)));
        command.Parameters.Add(Document(record));
        await ExecuteOrDeadLetterAsync(command, "dataset", spec.Id.ToString(), record.Version, record, cancellationToken);
    }

    /// <inheritdoc />
    public async Task UpsertNodeAsync(GpuNodeRecord record, CancellationToken cancellationToken = default)
    {
        const string Sql = """
            INSERT INTO catalogue_nodes AS stored (key, version, status, accelerator, state, search_text, document, updated_at)
            VALUES (@key, @version, @status, @accelerator, @state, @search_text, @document, now())
            ON CONFLICT (key) DO UPDATE
            SET version = EXCLUDED.version, status = EXCLUDED.status, accelerator = EXCLUDED.accelerator,
                state = EXCLUDED.state, search_text = EXCLUDED.search_text, document = EXCLUDED.document,
                updated_at = EXCLUDED.updated_at
            WHERE stored.version < EXCLUDED.version
            """;
        var spec = record.Spec;
        await using var command = _dataSource.CreateCommand(Sql);
        command.Parameters.AddWithValue("key", spec.Id.ToString());
        command.Parameters.AddWithValue("version", record.Version);
        command.Parameters.AddWithValue("status", StatusText(record.Status));
        command.Parameters.AddWithValue("accelerator", spec.Accelerator.ToString());
        command.Parameters.AddWithValue("state", StateText(record.State));
        command.Parameters.AddWithValue("search_text", SearchText(spec.Id.ToString(), spec.Site, spec.Accelerator.ToString()));
        command.Parameters.Add(Document(record));
        await ExecuteOrDeadLetterAsync(command, "node", spec.Id.ToString(), record.Version, record, cancellationToken);
    }

    /// <inheritdoc />
    public async Task UpsertModelAsync(ModelArtifactRecord record, CancellationToken cancellationToken = default)
    {
        const string Sql = """
            INSERT INTO catalogue_models AS stored (key, version, status, name, licence, search_text, document, updated_at)
            VALUES (@key, @version, @status, @name, @licence, @search_text, @document, now())
            ON CONFLICT (key) DO UPDATE
            SET version = EXCLUDED.version, status = EXCLUDED.status, name = EXCLUDED.name, licence = EXCLUDED.licence,
                search_text = EXCLUDED.search_text, document = EXCLUDED.document, updated_at = EXCLUDED.updated_at
            WHERE stored.version < EXCLUDED.version
            """;
        var spec = record.Spec;
        await using var command = _dataSource.CreateCommand(Sql);
        command.Parameters.AddWithValue("key", spec.Ref.ToString());
        command.Parameters.AddWithValue("version", record.Version);
        command.Parameters.AddWithValue("status", StatusText(record.Status));
        command.Parameters.AddWithValue("name", spec.Ref.Name.ToString());
        command.Parameters.AddWithValue("licence", spec.Licence.ToString());
        command.Parameters.AddWithValue("search_text", SearchText(spec.Ref.Name.ToString(), spec.Ref.Version.ToString(), spec.Format, spec.Description));
        command.Parameters.Add(Document(record));
        await ExecuteOrDeadLetterAsync(command, "model", spec.Ref.ToString(), record.Version, record, cancellationToken);
    }

    /// <inheritdoc />
    public Task<CataloguePage<DatasetRecord>> QueryDatasetsAsync(DatasetQuery query, CancellationToken cancellationToken = default)
    {
        var filter = new Filter();
        if (!query.IncludeWithdrawn)
        {
            filter.Add("status <> 'withdrawn'");
        }

        if (query.PublicOnly)
        {
            filter.Add("visibility = 'public'");
        }

        if (query.Tag is not null)
        {
            filter.Add("tags @> ARRAY[@tag]::text[]", ("tag", query.Tag));
        }

        if (query.Licence is not null)
        {
            filter.Add("lower(licence) = lower(@licence)", ("licence", query.Licence));
        }

        filter.AddText(query.Text);
        return QueryAsync<DatasetRecord>("catalogue_datasets", filter, query.After, query.Limit, cancellationToken);
    }

    /// <inheritdoc />
    public Task<CataloguePage<GpuNodeRecord>> QueryNodesAsync(NodeQuery query, CancellationToken cancellationToken = default)
    {
        var filter = new Filter();
        if (query.Accelerator is not null)
        {
            filter.Add("accelerator = @accelerator", ("accelerator", query.Accelerator));
        }

        if (query.State is { } state)
        {
            filter.Add("state = @state", ("state", StateText(state)));
        }

        filter.AddText(query.Text);
        return QueryAsync<GpuNodeRecord>("catalogue_nodes", filter, query.After, query.Limit, cancellationToken);
    }

    /// <inheritdoc />
    public Task<CataloguePage<ModelArtifactRecord>> QueryModelsAsync(ModelQuery query, CancellationToken cancellationToken = default)
    {
        var filter = new Filter();
        if (!query.IncludeWithdrawn)
        {
            filter.Add("status <> 'withdrawn'");
        }

        if (query.Name is not null)
        {
            filter.Add("name = @name", ("name", query.Name));
        }

        if (query.Licence is not null)
        {
            filter.Add("lower(licence) = lower(@licence)", ("licence", query.Licence));
        }

        filter.AddText(query.Text);
        return QueryAsync<ModelArtifactRecord>("catalogue_models", filter, query.After, query.Limit, cancellationToken);
    }

    /// <summary>Clamps a requested page size to 1..<see cref="MaxLimit"/>.</summary>
    internal static int ClampLimit(int limit) => Math.Clamp(limit, 1, MaxLimit);

    /// <inheritdoc />
    public async Task<IReadOnlyList<AcceleratorCapacity>> SummarizeCapacityAsync(CancellationToken cancellationToken = default)
    {
        const string Sql = """
            SELECT accelerator,
                   coalesce(sum(CASE WHEN state = 'up'
                                     THEN (document->'spec'->>'count')::int
                                          - coalesce((SELECT sum((a->>'count')::int) FROM jsonb_array_elements(document->'allocations') a), 0)
                                END), 0)::int AS free,
                   sum((document->'spec'->>'count')::int)::int AS total
            FROM catalogue_nodes
            WHERE status = 'active' AND state <> 'down'
            GROUP BY accelerator
            ORDER BY accelerator COLLATE "C"
            """;
        await using var command = _dataSource.CreateCommand(Sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var summary = new List<AcceleratorCapacity>();
        while (await reader.ReadAsync(cancellationToken))
        {
            summary.Add(new AcceleratorCapacity(TypedId.Parse<AcceleratorSlug>(reader.GetString(0)), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return summary;
    }

    private async Task<CataloguePage<T>> QueryAsync<T>(string table, Filter filter, string? after, int limit, CancellationToken cancellationToken)
    {
        // Tombstones are never returned.
        filter.Add("status <> 'deleted'");
        if (after is not null)
        {
            filter.Add("key > @after", ("after", after));
        }

        var pageSize = ClampLimit(limit);
        var sql = $"SELECT key, document::text FROM {table} WHERE {string.Join(" AND ", filter.Conditions)} ORDER BY key LIMIT @limit";
        await using var command = _dataSource.CreateCommand(sql);
        foreach (var parameter in filter.Parameters)
        {
            command.Parameters.Add(parameter);
        }

        // One more than the page, to know whether another page follows.
        command.Parameters.AddWithValue("limit", pageSize + 1);
        var items = new List<T>(Math.Min(pageSize, 64));
        var keys = new List<string>(Math.Min(pageSize, 64));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
            items.Add(JsonSerializer.Deserialize<T>(reader.GetString(1), FederationJson.Options)
                ?? throw new InvalidDataException($"Row '{keys[^1]}' of {table} holds a null document."));
        }

        if (items.Count <= pageSize)
        {
            return new CataloguePage<T>(items, null);
        }

        items.RemoveAt(items.Count - 1);
        return new CataloguePage<T>(items, keys[pageSize - 1]);
    }

    /// <summary>
    /// Runs an upsert; a refusal that no retry can cure (a data exception, SQLSTATE class 22, or a
    /// broken constraint, class 23) is written to <c>read_model_dead_letter</c> and thrown as
    /// <see cref="ReadModelRejectedException"/>, so that the grain stops retrying.
    /// </summary>
    private async Task ExecuteOrDeadLetterAsync<T>(NpgsqlCommand command, string kind, string key, int version, T record, CancellationToken cancellationToken)
    {
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (IsPermanent(e.SqlState))
        {
            const string Sql = """
                INSERT INTO read_model_dead_letter (kind, key, version, sql_state, reason, document)
                VALUES (@kind, @key, @version, @sql_state, @reason, @document)
                ON CONFLICT (kind, key, version) DO UPDATE
                SET sql_state = EXCLUDED.sql_state, reason = EXCLUDED.reason, failed_at = now()
                """;
            var reason = $"{e.SqlState}: {e.MessageText}";
            await using var deadLetter = _dataSource.CreateCommand(Sql);
            deadLetter.Parameters.AddWithValue("kind", kind);
            deadLetter.Parameters.AddWithValue("key", key);
            deadLetter.Parameters.AddWithValue("version", version);
            deadLetter.Parameters.AddWithValue("sql_state", e.SqlState);
            deadLetter.Parameters.AddWithValue("reason", reason);
            deadLetter.Parameters.AddWithValue("document", JsonSerializer.Serialize(record, FederationJson.Options));
            await deadLetter.ExecuteNonQueryAsync(cancellationToken);
            throw new ReadModelRejectedException($"{kind} {key} v{version}", reason, e);
        }
    }

    private static bool IsPermanent(string sqlState) => sqlState.StartsWith("22", StringComparison.Ordinal) || sqlState.StartsWith("23", StringComparison.Ordinal);

    private static NpgsqlParameter Document<T>(T record) =>
        new("document", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(record, FederationJson.Options) };

    private static string SearchText(params string[] parts)
    {
        // Lower-cased here, not in SQL, so that both index implementations fold case the same way.
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(part.ToLowerInvariant()).Append('\n');
        }

        return text.ToString();
    }

    private static string StatusText(CatalogueStatus status) => status switch
    {
        CatalogueStatus.Active => "active",
        CatalogueStatus.Withdrawn => "withdrawn",
        CatalogueStatus.Deleted => "deleted",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown catalogue status."),
    };

    private static string StateText(NodeState state) => state switch
    {
        NodeState.Up => "up",
        NodeState.Draining => "draining",
        NodeState.Down => "down",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown node state."),
    };

    /// <summary>WHERE conditions and their parameters, built from a query.</summary>
    private sealed class Filter
    {
        public List<string> Conditions { get; } = [];

        public List<NpgsqlParameter> Parameters { get; } = [];

        public void Add(string condition, params (string Name, string Value)[] parameters)
        {
            Conditions.Add(condition);
            foreach (var (name, value) in parameters)
            {
                Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = value });
            }
        }

        public void AddText(string? text)
        {
            if (text is null)
            {
                return;
            }

            var terms = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < terms.Length; i++)
            {
                Add($"search_text ILIKE @term{i}", ($"term{i}", "%" + EscapeLike(terms[i].ToLowerInvariant()) + "%"));
            }
        }

        private static string EscapeLike(string term) =>
            term.Replace(@"\", @"\\", StringComparison.Ordinal)
                .Replace("%", @"\%", StringComparison.Ordinal)
                .Replace("_", @"\_", StringComparison.Ordinal);
    }
}
