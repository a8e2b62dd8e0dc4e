using Federation.Contracts.Jobs;
using Federation.Grains.Jobs;
using static Federation.Postgres.Tests.Jobs.JobRecords;

namespace Federation.Postgres.Tests.Jobs;

/// <summary>
/// The semantics documented on <see cref="IJobIndex"/>, run against every implementation so that
/// the embedded mode and PostgreSQL answer alike. Each test starts from an empty index.
/// </summary>
public abstract class JobIndexContractTests : IAsyncLifetime
{
    private IJobIndex? _index;

    /// <summary>The index under test, empty at the start of each test.</summary>
    protected IJobIndex Index => _index ?? throw new InvalidOperationException("InitializeAsync has not run.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates an empty index of the implementation under test.</summary>
    protected abstract ValueTask<IJobIndex> CreateEmptyIndexAsync();

    public async ValueTask InitializeAsync() => _index = await CreateEmptyIndexAsync();

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Upsert_FullRecord_ReadBackWhole()
    {
        var record = FullJob("train-42");

        await Index.UpsertAsync(record, Ct);

        var page = await Index.QueryAsync(new JobQuery(), Ct);
        var stored = Assert.Single(page.Items);
        Assert.Equal(Json(record), Json(stored));
        Assert.Equal(record.UpdatedAt.Offset, stored.UpdatedAt.Offset);
        Assert.Equal(record.Spec, stored.Spec);
        Assert.Equal(record.Decision, stored.Decision);
        Assert.Equal(record.Admissions, stored.Admissions);
        Assert.Null(page.NextAfter);
    }

    [Fact]
    public async Task Upsert_SameRecordTwice_StoredOnce()
    {
        var record = Job("train-1", version: 3);

        await Index.UpsertAsync(record, Ct);
        await Index.UpsertAsync(record, Ct);

        var stored = Assert.Single((await Index.QueryAsync(new JobQuery(), Ct)).Items);
        Assert.Equal(Json(record), Json(stored));
    }

    [Fact]
    public async Task Upsert_StaleOrEqualVersion_NeverOverwritesNewer()
    {
        await Index.UpsertAsync(Job("train-1", version: 5, state: JobState.Running, nation: "DE", reason: "newest"), Ct);

        await Index.UpsertAsync(Job("train-1", version: 4, state: JobState.Offered, nation: "SE", reason: "late"), Ct);
        await Index.UpsertAsync(Job("train-1", version: 1, state: JobState.Submitted, reason: "much later"), Ct);
        await Index.UpsertAsync(Job("train-1", version: 5, state: JobState.Failed, reason: "same version, other writer"), Ct);

        var stored = Assert.Single((await Index.QueryAsync(new JobQuery(), Ct)).Items);
        Assert.Equal(5, stored.Version);
        Assert.Equal("newest", stored.StateReason);
        Assert.Empty((await Index.QueryAsync(new JobQuery { State = JobState.Offered }, Ct)).Items);
        Assert.Empty((await Index.QueryAsync(new JobQuery { Nation = "SE" }, Ct)).Items);
        Assert.Single((await Index.QueryAsync(new JobQuery { State = JobState.Running, Nation = "DE" }, Ct)).Items);
    }

    [Fact]
    public async Task Upsert_VersionsInAnyOrder_NewestWins()
    {
        var versions = new[] { 3, 1, 6, 2, 5, 4 };

        foreach (var version in versions)
        {
            await Index.UpsertAsync(Job("train-1", version: version, reason: $"v{version}"), Ct);
        }

        var stored = Assert.Single((await Index.QueryAsync(new JobQuery(), Ct)).Items);
        Assert.Equal(6, stored.Version);
        Assert.Equal("v6", stored.StateReason);
    }

    [Fact]
    public async Task Upsert_NewerVersion_ReplacesAndMovesBetweenFilters()
    {
        await Index.UpsertAsync(Job("train-1", version: 1, state: JobState.Offered, nation: "SE"), Ct);

        await Index.UpsertAsync(Job("train-1", version: 2, state: JobState.Running, nation: "DE"), Ct);

        Assert.Empty((await Index.QueryAsync(new JobQuery { State = JobState.Offered }, Ct)).Items);
        Assert.Empty((await Index.QueryAsync(new JobQuery { Nation = "SE" }, Ct)).Items);
        Assert.Equal(["FR/train-1"], Ids(await Index.QueryAsync(new JobQuery { State = JobState.Running }, Ct)));
        Assert.Equal(["FR/train-1"], Ids(await Index.QueryAsync(new JobQuery { Nation = "DE" }, Ct)));
    }

    [Fact]
    public async Task Query_ByState_OnlyThatState()
    {
        await Index.UpsertAsync(Job("a", state: JobState.Running, nation: "DE"), Ct);
        await Index.UpsertAsync(Job("b", state: JobState.Queued, nation: "DE"), Ct);
        await Index.UpsertAsync(Job("c", state: JobState.Running, nation: "SE"), Ct);
        await Index.UpsertAsync(Job("d", state: JobState.TimedOut, nation: "SE"), Ct);

        Assert.Equal(["FR/a", "FR/c"], Ids(await Index.QueryAsync(new JobQuery { State = JobState.Running }, Ct)));
        Assert.Equal(["FR/d"], Ids(await Index.QueryAsync(new JobQuery { State = JobState.TimedOut }, Ct)));
        Assert.Empty((await Index.QueryAsync(new JobQuery { State = JobState.Cancelled }, Ct)).Items);
    }

    [Fact]
    public async Task Query_ByOwner_OnlyThatUserExactly()
    {
        await Index.UpsertAsync(Job("a", owner: "alice@example.org"), Ct);
        await Index.UpsertAsync(Job("b", owner: "bob@example.org"), Ct);
        await Index.UpsertAsync(Job("c", owner: "alice@example.org"), Ct);
        await Index.UpsertAsync(Job("d", owner: "Alice@example.org"), Ct);

        Assert.Equal(["FR/a", "FR/c"], Ids(await Index.QueryAsync(new JobQuery { Owner = "alice@example.org" }, Ct)));
        Assert.Equal(["FR/b"], Ids(await Index.QueryAsync(new JobQuery { Owner = "bob@example.org" }, Ct)));
        Assert.Empty((await Index.QueryAsync(new JobQuery { Owner = "alice" }, Ct)).Items);
    }

    [Fact]
    public async Task Query_ByNation_OnlyJobsOfferedToOrRunningThere()
    {
        await Index.UpsertAsync(Job("a", state: JobState.Offered, nation: "DE"), Ct);
        await Index.UpsertAsync(Job("b", state: JobState.Submitted), Ct);
        await Index.UpsertAsync(Job("c", state: JobState.Running, nation: "DE"), Ct);
        await Index.UpsertAsync(Job("d", state: JobState.Running, nation: "SE"), Ct);

        Assert.Equal(["FR/a", "FR/c"], Ids(await Index.QueryAsync(new JobQuery { Nation = "DE" }, Ct)));
        Assert.Equal(["FR/d"], Ids(await Index.QueryAsync(new JobQuery { Nation = "SE" }, Ct)));
        Assert.Empty((await Index.QueryAsync(new JobQuery { Nation = "FR" }, Ct)).Items);
    }

    [Fact]
    public async Task Query_FiltersCombined_AllMustMatch()
    {
        await Index.UpsertAsync(Job("a", state: JobState.Running, owner: "alice@example.org", nation: "DE"), Ct);
        await Index.UpsertAsync(Job("b", state: JobState.Running, owner: "bob@example.org", nation: "DE"), Ct);
        await Index.UpsertAsync(Job("c", state: JobState.Queued, owner: "alice@example.org", nation: "DE"), Ct);
        await Index.UpsertAsync(Job("d", state: JobState.Running, owner: "alice@example.org", nation: "SE"), Ct);

        var page = await Index.QueryAsync(new JobQuery { State = JobState.Running, Owner = "alice@example.org", Nation = "DE" }, Ct);

        Assert.Equal(["FR/a"], Ids(page));
    }

    [Fact]
    public async Task Query_Order_OrdinalByGlobalId()
    {
        foreach (var (origin, id) in new[] { ("FR", "job-9"), ("DE", "zeta"), ("FR", "job-10"), ("FR", "a"), ("SE", "0-first") })
        {
            await Index.UpsertAsync(Job(id, origin: origin), Ct);
        }

        var page = await Index.QueryAsync(new JobQuery(), Ct);

        Assert.Equal(["DE/zeta", "FR/a", "FR/job-10", "FR/job-9", "SE/0-first"], Ids(page));
    }

    [Fact]
    public async Task Query_KeysetPages_EveryJobOnceInOrder()
    {
        var expected = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            var job = Job($"job-{i}", version: 1 + (i % 3));
            expected.Add(job.Ref.ToString());
            await Index.UpsertAsync(job, Ct);
        }

        var pages = await ReadAllPagesAsync(new JobQuery { Limit = 5 });

        Assert.Equal([5, 5, 5, 5, 3], pages.Select(p => p.Count));
        Assert.Equal(expected.Order(StringComparer.Ordinal), pages.SelectMany(p => p));
    }

    [Fact]
    public async Task Query_KeysetPagesWithFilter_EveryMatchingJobOnce()
    {
        var expected = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var state = i % 3 == 0 ? JobState.Running : JobState.Queued;
            var job = Job($"job-{i:D2}", state: state, nation: "DE");
            if (state == JobState.Running)
            {
                expected.Add(job.Ref.ToString());
            }

            await Index.UpsertAsync(job, Ct);
        }

        var pages = await ReadAllPagesAsync(new JobQuery { State = JobState.Running, Nation = "DE", Limit = 4 });

        Assert.Equal([4, 4, 2], pages.Select(p => p.Count));
        Assert.Equal(expected, pages.SelectMany(p => p));
    }

    [Fact]
    public async Task Query_ExactMultipleOfLimit_LastFullPageHasNoCursor()
    {
        for (var i = 0; i < 10; i++)
        {
            await Index.UpsertAsync(Job($"job-{i}"), Ct);
        }

        var first = await Index.QueryAsync(new JobQuery { Limit = 5 }, Ct);
        var second = await Index.QueryAsync(new JobQuery { Limit = 5, After = first.NextAfter }, Ct);

        Assert.Equal("FR/job-4", first.NextAfter);
        Assert.Equal(5, second.Items.Length);
        Assert.Null(second.NextAfter);
    }

    [Fact]
    public async Task Query_WritesBetweenPages_NoRepeatsAndNoGapsAmongOlderJobs()
    {
        for (var i = 0; i < 9; i++)
        {
            await Index.UpsertAsync(Job($"job-{i}", state: JobState.Running), Ct);
        }

        var first = await Index.QueryAsync(new JobQuery { Limit = 3 }, Ct);
        // A job already listed changes, one before the cursor is added: neither comes back.
        await Index.UpsertAsync(Job("job-1", version: 2, state: JobState.Succeeded), Ct);
        await Index.UpsertAsync(Job("job-00"), Ct);
        var rest = await ReadAllPagesAsync(new JobQuery { Limit = 3, After = first.NextAfter });

        Assert.Equal(["FR/job-0", "FR/job-1", "FR/job-2"], Ids(first));
        Assert.Equal(["FR/job-3", "FR/job-4", "FR/job-5", "FR/job-6", "FR/job-7", "FR/job-8"], rest.SelectMany(p => p));
    }

    [Fact]
    public async Task Query_AfterLastJob_EmptyPage()
    {
        await Index.UpsertAsync(Job("job-1"), Ct);

        var page = await Index.QueryAsync(new JobQuery { After = "FR/job-1" }, Ct);

        Assert.Empty(page.Items);
        Assert.Null(page.NextAfter);
    }

    [Fact]
    public async Task Remove_Job_GoneFromEveryQuery()
    {
        await Index.UpsertAsync(Job("gone", state: JobState.Succeeded, nation: "DE"), Ct);
        await Index.UpsertAsync(Job("kept", state: JobState.Succeeded, nation: "DE"), Ct);

        await Index.RemoveAsync("FR/gone", Ct);

        Assert.Equal(["FR/kept"], Ids(await Index.QueryAsync(new JobQuery(), Ct)));
        Assert.Equal(["FR/kept"], Ids(await Index.QueryAsync(new JobQuery { State = JobState.Succeeded }, Ct)));
        Assert.Equal(["FR/kept"], Ids(await Index.QueryAsync(new JobQuery { Owner = "alice@example.org" }, Ct)));
        Assert.Equal(["FR/kept"], Ids(await Index.QueryAsync(new JobQuery { Nation = "DE" }, Ct)));
    }

    [Fact]
    public async Task Remove_UnknownJob_NothingHappens()
    {
        await Index.UpsertAsync(Job("kept"), Ct);

        await Index.RemoveAsync("FR/never-there", Ct);

        Assert.Equal(["FR/kept"], Ids(await Index.QueryAsync(new JobQuery(), Ct)));
    }

    protected static List<string> Ids(JobPage page) => [.. page.Items.Select(j => j.Ref.ToString())];

    /// <summary>Follows the cursor to the end; each page's ids, and checks every cursor is its page's last id.</summary>
    protected async Task<List<List<string>>> ReadAllPagesAsync(JobQuery query)
    {
        var pages = new List<List<string>>();
        var next = query;
        while (true)
        {
            var page = await Index.QueryAsync(next, Ct);
            pages.Add(Ids(page));
            if (page.NextAfter is null)
            {
                return pages;
            }

            Assert.Equal(page.Items[^1].Ref.ToString(), page.NextAfter);
            Assert.True(pages.Count <= 100, "paging did not end");
            next = next with { After = page.NextAfter };
        }
    }
}
