using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Peers;

namespace Federation.Grains.Catalogue.Index;

/// <summary>
/// The catalogue read model in process memory, for the embedded mode (no database). Same
/// semantics as the PostgreSQL index; safe to share between grains on one silo.
/// </summary>
/// <remarks>
/// Each silo has its own copy, so with several silos in memory a silo sees only what its own grains
/// wrote; the embedded mode runs one silo per nation.
/// </remarks>
public sealed class InMemoryCatalogueIndex : ICatalogueIndex
{
    /// <summary>Largest page a query returns, whatever it asks for.</summary>
    public const int MaxLimit = 500;

    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, Entry<DatasetRecord>> _datasets = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Entry<GpuNodeRecord>> _nodes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Entry<ModelArtifactRecord>> _models = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task UpsertDatasetAsync(DatasetRecord record, CancellationToken cancellationToken = default)
    {
        var spec = record.Spec;
        var tags = spec.Tags.IsDefault ? [] : spec.Tags;
        Upsert(_datasets, spec.Id.ToString(), record, record.Version, record.Status, SearchText(spec.Id.ToString(), spec.Title, spec.Description, string.Join(' ', tags)));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UpsertNodeAsync(GpuNodeRecord record, CancellationToken cancellationToken = default)
    {
        var spec = record.Spec;
        Upsert(_nodes, spec.Id.ToString(), record, record.Version, record.Status, SearchText(spec.Id.ToString(), spec.Site, spec.Accelerator.ToString()));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UpsertModelAsync(ModelArtifactRecord record, CancellationToken cancellationToken = default)
    {
        var spec = record.Spec;
        Upsert(_models, spec.Ref.ToString(), record, record.Version, record.Status,
            SearchText(spec.Ref.Name.ToString(), spec.Ref.Version.ToString(), spec.Format, spec.Description));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<CataloguePage<DatasetRecord>> QueryDatasetsAsync(DatasetQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(Query(_datasets, query.Text, query.After, query.Limit, r =>
            (query.IncludeWithdrawn || r.Status != CatalogueStatus.Withdrawn)
            && (!query.PublicOnly || r.Spec.Visibility == Visibility.Public)
            && (query.Tag is null || (!r.Spec.Tags.IsDefault && r.Spec.Tags.Contains(query.Tag, StringComparer.Ordinal)))
            && (query.Licence is null || string.Equals(r.Spec.Licence.ToString(), query.Licence, StringComparison.OrdinalIgnoreCase))));

    /// <inheritdoc />
    public Task<CataloguePage<GpuNodeRecord>> QueryNodesAsync(NodeQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(Query(_nodes, query.Text, query.After, query.Limit, r =>
            (query.Accelerator is null || string.Equals(r.Spec.Accelerator.ToString(), query.Accelerator, StringComparison.Ordinal))
            && (query.State is null || r.State == query.State)));

    /// <inheritdoc />
    public Task<CataloguePage<ModelArtifactRecord>> QueryModelsAsync(ModelQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(Query(_models, query.Text, query.After, query.Limit, r =>
            (query.IncludeWithdrawn || r.Status != CatalogueStatus.Withdrawn)
            && (query.Name is null || string.Equals(r.Spec.Ref.Name.ToString(), query.Name, StringComparison.Ordinal))
            && (query.Licence is null || string.Equals(r.Spec.Licence.ToString(), query.Licence, StringComparison.OrdinalIgnoreCase))));

    /// <inheritdoc />
    public Task<IReadOnlyList<AcceleratorCapacity>> SummarizeCapacityAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<AcceleratorCapacity> summary = _nodes.Values
                .Where(e => e.Status == CatalogueStatus.Active && e.Record.State != NodeState.Down)
                .GroupBy(e => e.Record.Spec.Accelerator)
                .OrderBy(g => g.Key.Value, StringComparer.Ordinal)
                .Select(g => new AcceleratorCapacity(
                    g.Key,
                    g.Where(e => e.Record.State == NodeState.Up).Sum(e => e.Record.FreeAccelerators),
                    g.Sum(e => e.Record.Spec.Count)))
                .ToList();
            return Task.FromResult(summary);
        }
    }

    private void Upsert<T>(SortedDictionary<string, Entry<T>> table, string key, T record, int version, CatalogueStatus status, string searchText)
    {
        lock (_lock)
        {
            // A late or repeated write never goes back in time.
            if (!table.TryGetValue(key, out var stored) || stored.Version < version)
            {
                table[key] = new Entry<T>(record, version, status, searchText);
            }
        }
    }

    private CataloguePage<T> Query<T>(SortedDictionary<string, Entry<T>> table, string? text, string? after, int limit, Func<T, bool> matches)
    {
        var pageSize = Math.Clamp(limit, 1, MaxLimit);
        var terms = text?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(t => t.ToLowerInvariant()).ToArray() ?? [];
        var items = new List<T>();
        string? lastKey = null;
        lock (_lock)
        {
            foreach (var (key, entry) in table)
            {
                if (after is not null && string.CompareOrdinal(key, after) <= 0)
                {
                    continue;
                }

                if (entry.Status == CatalogueStatus.Deleted
                    || !terms.All(t => entry.SearchText.Contains(t, StringComparison.Ordinal))
                    || !matches(entry.Record))
                {
                    continue;
                }

                if (items.Count == pageSize)
                {
                    // Another match follows the full page.
                    return new CataloguePage<T>(items, lastKey);
                }

                items.Add(entry.Record);
                lastKey = key;
            }
        }

        return new CataloguePage<T>(items, null);
    }

    private static string SearchText(params string[] parts) =>
        string.Concat(parts.Select(p => p.ToLowerInvariant() + "\n"));

    private sealed record Entry<T>(T Record, int Version, CatalogueStatus Status, string SearchText);
}
