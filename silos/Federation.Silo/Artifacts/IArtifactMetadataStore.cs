using Federation.Contracts.Ids;

namespace Federation.Silo.Artifacts;

/// <summary>
/// Which model version points at which stored bytes: in PostgreSQL (table <c>model_artifact</c>,
/// migration 0012) or in memory (embedded mode), with the same answers. A version's artifact is set
/// once; the same digest again keeps the first record.
/// </summary>
public interface IArtifactMetadataStore
{
    /// <summary>
    /// Records <paramref name="record"/> unless the version has one already; returns the record that
    /// is stored afterwards (the existing one, which may name other bytes, when there was one).
    /// </summary>
    Task<ArtifactRecord> AddAsync(ArtifactRecord record, CancellationToken ct);

    /// <summary>The artifact of <paramref name="model"/>, or null.</summary>
    Task<ArtifactRecord?> GetAsync(ModelRef model, CancellationToken ct);

    /// <summary>How many model versions point at <paramref name="sha256"/>.</summary>
    Task<int> CountAsync(Sha256Digest sha256, CancellationToken ct);
}
