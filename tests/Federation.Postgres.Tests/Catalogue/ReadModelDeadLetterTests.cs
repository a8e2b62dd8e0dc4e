using Federation.Grains.Catalogue.Index;
using Federation.Postgres.Tests.Fixtures;
using Federation.Silo.Postgres;
using static Federation.Postgres.Tests.Catalogue.CatalogueRecords;

namespace Federation.Postgres.Tests.Catalogue;

/// <summary>
/// A record PostgreSQL refuses for good (jsonb refuses NUL, issue 13) is dead-lettered once with
/// the reason and reported as permanent, so that its grain stops retrying; other records are not held up.
/// </summary>
public sealed class ReadModelDeadLetterTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UpsertDataset_NulInText_DeadLetteredWithReasonAndNotListed()
    {
        var index = new PostgresCatalogueIndex(database.DataSource);
        var poisoned = Dataset("poisoned", version: 2, title: "bad\u0000title");

        var refused = await Assert.ThrowsAsync<ReadModelRejectedException>(() => index.UpsertDatasetAsync(poisoned, Ct));
        await index.UpsertDatasetAsync(Dataset("healthy"), Ct);

        Assert.StartsWith("22", refused.Reason, StringComparison.Ordinal);
        await using var command = database.DataSource.CreateCommand("SELECT kind || ' ' || key || ' ' || version || ' ' || sql_state, position('\\u0000' in document) > 0 FROM read_model_dead_letter");
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct), "expected one dead letter");
        Assert.StartsWith("dataset poisoned 2 22", reader.GetString(0), StringComparison.Ordinal);
        Assert.True(reader.GetBoolean(1), "the document keeps the refused text, escaped");
        Assert.False(await reader.ReadAsync(Ct), "expected only one dead letter");
        Assert.Equal(["healthy"], (await index.QueryDatasetsAsync(new DatasetQuery(), Ct)).Items.Select(d => d.Spec.Id.ToString()));
    }
}
