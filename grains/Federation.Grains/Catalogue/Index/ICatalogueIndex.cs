using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Peers;

namespace Federation.Grains.Catalogue.Index;

/// <summary>
/// The catalogue's read model: grains write it, list and search read it, so that queries never
/// scan grains.
/// </summary>
/// <remarks>
/// Upserts are idempotent and versioned: a record is stored only when its <c>Version</c> is higher
/// than the stored one, so a late or repeated write never goes back in time. Records with status
/// <c>Deleted</c> are kept as tombstones and never returned by queries.
/// Queries return entries in ascending ordinal order of their key (dataset id, node id,
/// <c>name@version</c>) and page by keyset: <c>After</c> is the last key of the previous page.
/// Text matches when every whitespace-separated term occurs, ignoring case, in the entry's
/// searchable text (see each query type).
/// </remarks>
public interface ICatalogueIndex
{
    /// <summary>Stores <paramref name="record"/> unless a newer version is stored.</summary>
    Task UpsertDatasetAsync(DatasetRecord record, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="record"/> unless a newer version is stored.</summary>
    Task UpsertNodeAsync(GpuNodeRecord record, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="record"/> unless a newer version is stored.</summary>
    Task UpsertModelAsync(ModelArtifactRecord record, CancellationToken cancellationToken = default);

    /// <summary>One page of datasets.</summary>
    Task<CataloguePage<DatasetRecord>> QueryDatasetsAsync(DatasetQuery query, CancellationToken cancellationToken = default);

    /// <summary>One page of nodes.</summary>
    Task<CataloguePage<GpuNodeRecord>> QueryNodesAsync(NodeQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Accelerators per model over active nodes: Total counts nodes that are up or draining, Free
    /// the unallocated accelerators of nodes that are up. Ordered by slug. For adverts.
    /// </summary>
    Task<IReadOnlyList<AcceleratorCapacity>> SummarizeCapacityAsync(CancellationToken cancellationToken = default);

    /// <summary>One page of models.</summary>
    Task<CataloguePage<ModelArtifactRecord>> QueryModelsAsync(ModelQuery query, CancellationToken cancellationToken = default);
}
