using Federation.Grains.Catalogue.Index;

namespace Federation.Postgres.Tests.Catalogue;

/// <summary>The index contract against the embedded mode's in-memory index.</summary>
public sealed class InMemoryCatalogueIndexTests : CatalogueIndexContractTests
{
    protected override ValueTask<ICatalogueIndex> CreateEmptyIndexAsync() => ValueTask.FromResult<ICatalogueIndex>(new InMemoryCatalogueIndex());
}
