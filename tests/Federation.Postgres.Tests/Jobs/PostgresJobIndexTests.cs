using Federation.Contracts.Jobs;
using Federation.Grains.Jobs;
using Federation.Postgres.Tests.Fixtures;
using Federation.Silo.Postgres;
using static Federation.Postgres.Tests.Jobs.JobRecords;

namespace Federation.Postgres.Tests.Jobs;

/// <summary>
/// The job index contract against PostgreSQL, on a database of its own for this class, plus what
/// only the table can get wrong (columns, every state, the page cap, concurrent writers). Each test
/// empties the table first (tests of one class run one at a time).
/// </summary>
public sealed class PostgresJobIndexTests(MigratedDatabase database) : JobIndexContractTests, IClassFixture<MigratedDatabase>
{
    protected override async ValueTask<IJobIndex> CreateEmptyIndexAsync()
    {
        await using var truncate = database.DataSource.CreateCommand("TRUNCATE job");
        await truncate.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return new PostgresJobIndex(database.DataSource);
    }

    [Fact]
    public async Task Upsert_FullRecord_FilterColumnsHoldItsValues()
    {
        var record = FullJob("train-42", version: 9);

        await Index.UpsertAsync(record, Ct);

        await using var command = database.DataSource.CreateCommand(
            "SELECT id, version, state, owner_user, nation, submitted_at, updated_at, document->>'stateReason' FROM job");
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal("FR/train-42", reader.GetString(0));
        Assert.Equal(9, reader.GetInt32(1));
        Assert.Equal("succeeded", reader.GetString(2));
        Assert.Equal("alice@example.org", reader.GetString(3));
        Assert.Equal("DE", reader.GetString(4));
        Assert.Equal(record.SubmittedAt, reader.GetFieldValue<DateTimeOffset>(5));
        Assert.Equal(record.UpdatedAt, reader.GetFieldValue<DateTimeOffset>(6));
        Assert.Equal(record.StateReason, reader.GetString(7));
        Assert.False(await reader.ReadAsync(Ct));
    }

    [Fact]
    public async Task Upsert_NoNation_ColumnNull()
    {
        await Index.UpsertAsync(Job("train-1"), Ct);

        await using var command = database.DataSource.CreateCommand("SELECT nation IS NULL FROM job WHERE id = 'FR/train-1'");

        Assert.True((bool)(await command.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public async Task Upsert_EveryJobState_StoredAndFoundByIt()
    {
        var states = Enum.GetValues<JobState>();
        foreach (var state in states)
        {
            await Index.UpsertAsync(Job($"in-{JobEvents.Name(state).ToLowerInvariant()}", state: state), Ct);
        }

        foreach (var state in states)
        {
            var page = await Index.QueryAsync(new JobQuery { State = state }, Ct);
            Assert.Equal(state, Assert.Single(page.Items).State);
        }
    }

    [Fact]
    public async Task Upsert_ConcurrentWritersOfOneJob_HighestVersionStays()
    {
        var writers = Enumerable.Range(1, 40)
            .Select(version => Task.Run(() => Index.UpsertAsync(Job("contended", version: version, reason: $"v{version}"), Ct), Ct));

        await Task.WhenAll(writers);

        var stored = Assert.Single((await Index.QueryAsync(new JobQuery(), Ct)).Items);
        Assert.Equal(40, stored.Version);
        Assert.Equal("v40", stored.StateReason);
    }

    [Fact]
    public async Task Query_LimitAboveMax_CappedAtMaxLimit()
    {
        for (var i = 0; i < PostgresJobIndex.MaxLimit + 2; i++)
        {
            await Index.UpsertAsync(Job($"job-{i:D4}"), Ct);
        }

        var capped = await Index.QueryAsync(new JobQuery { Limit = 10_000 }, Ct);
        var rest = await Index.QueryAsync(new JobQuery { Limit = 10_000, After = capped.NextAfter }, Ct);

        Assert.Equal(PostgresJobIndex.MaxLimit, capped.Items.Length);
        Assert.Equal($"FR/job-{PostgresJobIndex.MaxLimit - 1:D4}", capped.NextAfter);
        Assert.Equal(2, rest.Items.Length);
        Assert.Null(rest.NextAfter);
    }

    [Fact]
    public async Task Query_LimitBelowOne_OneJobPerPage()
    {
        await Index.UpsertAsync(Job("a"), Ct);
        await Index.UpsertAsync(Job("b"), Ct);

        var page = await Index.QueryAsync(new JobQuery { Limit = 0 }, Ct);

        Assert.Equal(["FR/a"], Ids(page));
        Assert.Equal("FR/a", page.NextAfter);
    }
}
