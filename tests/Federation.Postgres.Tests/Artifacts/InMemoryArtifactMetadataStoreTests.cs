using Federation.Silo.Artifacts;

namespace Federation.Postgres.Tests.Artifacts;

/// <summary>The artifact metadata contract against the embedded mode's in-memory store.</summary>
public sealed class InMemoryArtifactMetadataStoreTests : ArtifactMetadataStoreContractTests
{
    protected override ValueTask<IArtifactMetadataStore> CreateEmptyStoreAsync() => ValueTask.FromResult<IArtifactMetadataStore>(new InMemoryArtifactMetadataStore());
}
