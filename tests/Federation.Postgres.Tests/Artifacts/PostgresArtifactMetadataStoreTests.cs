using Federation.Contracts.Ids;
using Federation.Postgres.Tests.Fixtures;
using Federation.Silo.Artifacts;

namespace Federation.Postgres.Tests.Artifacts;

/// <summary>
/// The artifact metadata contract against PostgreSQL (migration 0012) on a database of its own,
/// plus what only the table can check. Each test empties the table first.
/// </summary>
public sealed class PostgresArtifactMetadataStoreTests(MigratedDatabase database) : ArtifactMetadataStoreContractTests, IClassFixture<MigratedDatabase>
{
    protected override async ValueTask<IArtifactMetadataStore> CreateEmptyStoreAsync()
    {
        await using var truncate = database.DataSource.CreateCommand("TRUNCATE model_artifact");
        await truncate.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return new PostgresArtifactMetadataStore(database.DataSource);
    }

    [Fact]
    public async Task Table_RefusesADigestThatIsNotLowerCaseHex()
    {
        await using var insert = database.DataSource.CreateCommand(
            "INSERT INTO model_artifact VALUES ('m', '1', '../../etc/passwd', 1, 'application/octet-stream', 'x', now(), 'FR')");

        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => insert.ExecuteNonQueryAsync(Ct));

        Assert.Equal("23514", refused.SqlState);
    }

    [Fact]
    public async Task ManyAddsOfOneVersionAtOnce_StoreOneRow_EveryoneReadsIt()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Store.AddAsync(Record("race@1", TypedId.Parse<Sha256Digest>(new string((char)('a' + (i % 6)), 64)), by: $"u{i}"), Ct)));

        Assert.Single(answers.Select(a => a.Sha256).Distinct());
        Assert.Equal(answers[0], await Store.GetAsync(answers[0].Model, Ct));
    }
}
