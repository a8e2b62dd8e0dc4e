using Federation.Grains.Jobs;
using Federation.Postgres.Tests.Fixtures;
using Federation.Silo.Postgres;
using static Federation.Postgres.Tests.Jobs.JobRecords;

namespace Federation.Postgres.Tests.Jobs;

/// <summary>
/// A job record PostgreSQL refuses for good (jsonb refuses NUL) is dead-lettered once with the
/// reason and its write completes, so that the job grain stops retrying; the other writes of the same
/// group commit are stored (issue 13).
/// </summary>
public sealed class JobDeadLetterTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Upsert_NulInReason_DeadLetteredOnceAndTheGroupStillStored()
    {
        var index = new PostgresJobIndex(database.DataSource);
        var poisoned = Job("poisoned", version: 3, reason: "bad\u0000reason");

        // Together, so that they share a group commit: the poisoned one must not take the others down.
        await Task.WhenAll(
            index.UpsertAsync(Job("healthy-1"), Ct),
            index.UpsertAsync(poisoned, Ct),
            index.UpsertAsync(Job("healthy-2"), Ct));
        await index.UpsertAsync(poisoned, Ct);

        await using var command = database.DataSource.CreateCommand(
            "SELECT kind || ' ' || key || ' ' || version || ' ' || sql_state, position('\\u0000' in document) > 0 FROM read_model_dead_letter WHERE kind = 'job'");
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            Assert.True(await reader.ReadAsync(Ct), "expected one dead letter for the poisoned job");
            Assert.StartsWith("job FR/poisoned 3 22", reader.GetString(0), StringComparison.Ordinal);
            Assert.True(reader.GetBoolean(1), "the document keeps the refused text, escaped");
            Assert.False(await reader.ReadAsync(Ct), "the same version written again replaces its dead letter, it does not add one");
        }

        Assert.Equal(2, index.DeadLettered);
        var listed = await index.QueryAsync(new JobQuery { Limit = 10 }, Ct);
        Assert.Equal(["FR/healthy-1", "FR/healthy-2"], listed.Items.Select(j => j.Ref.ToString()));

        // A later version that stores fine is listed.
        await index.UpsertAsync(Job("poisoned", version: 4, reason: "cured"), Ct);
        Assert.Contains("FR/poisoned", (await index.QueryAsync(new JobQuery { Limit = 10 }, Ct)).Items.Select(j => j.Ref.ToString()));
    }
}
