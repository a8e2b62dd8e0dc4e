using System.Collections.Concurrent;
using Federation.Contracts.Ids;

namespace Federation.Silo.Artifacts;

/// <summary>Artifact metadata in memory (embedded mode), with the answers of <see cref="PostgresArtifactMetadataStore"/>.</summary>
public sealed class InMemoryArtifactMetadataStore : IArtifactMetadataStore
{
    private readonly ConcurrentDictionary<ModelRef, ArtifactRecord> _records = new();

    /// <inheritdoc />
    public Task<ArtifactRecord> AddAsync(ArtifactRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Task.FromResult(_records.GetOrAdd(record.Model, Truncate(record)));
    }

    /// <inheritdoc />
    public Task<ArtifactRecord?> GetAsync(ModelRef model, CancellationToken ct) =>
        Task.FromResult(_records.TryGetValue(model, out var found) ? found : null);

    /// <inheritdoc />
    public Task<int> CountAsync(Sha256Digest sha256, CancellationToken ct) =>
        Task.FromResult(_records.Values.Count(r => r.Sha256 == sha256));

    // PostgreSQL keeps microseconds: so does this store.
    private static ArtifactRecord Truncate(ArtifactRecord record) =>
        record with { UploadedAt = new DateTimeOffset(record.UploadedAt.UtcTicks - (record.UploadedAt.UtcTicks % 10), TimeSpan.Zero) };
}
