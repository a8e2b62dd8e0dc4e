using Federation.Grains.Catalogue.Index;
using Federation.Postgres.Tests.Fixtures;
using Federation.Silo.Postgres;

namespace Federation.Postgres.Tests.Catalogue;

/// <summary>
/// The index contract against PostgreSQL, on a database of its own for this class; each test
/// empties the catalogue tables first (tests of one class run one at a time).
/// </summary>
public sealed class PostgresCatalogueIndexTests(MigratedDatabase database) : CatalogueIndexContractTests, IClassFixture<MigratedDatabase>
{
    protected override async ValueTask<ICatalogueIndex> CreateEmptyIndexAsync()
    {
        await using var truncate = database.DataSource.CreateCommand("TRUNCATE catalogue_datasets, catalogue_nodes, catalogue_models");
        await truncate.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return new PostgresCatalogueIndex(database.DataSource);
    }
}
