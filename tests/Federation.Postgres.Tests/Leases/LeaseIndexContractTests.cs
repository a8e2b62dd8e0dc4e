using Federation.Grains.Jobs.Leases;

namespace Federation.Postgres.Tests.Leases;

/// <summary>
/// The semantics documented on <see cref="ILeaseIndex"/>, run against every implementation so that
/// the embedded mode and PostgreSQL answer alike. Each test starts from an empty index. Times are
/// whole milliseconds (PostgreSQL keeps microseconds).
/// </summary>
public abstract class LeaseIndexContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    private ILeaseIndex? _index;

    /// <summary>The index under test, empty at the start of each test.</summary>
    protected ILeaseIndex Index => _index ?? throw new InvalidOperationException("InitializeAsync has not run.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates an empty index of the implementation under test.</summary>
    protected abstract ValueTask<ILeaseIndex> CreateEmptyIndexAsync();

    public async ValueTask InitializeAsync() => _index = await CreateEmptyIndexAsync();

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Set_ThenDue_ReadsTheTime_SetAgain_Replaces()
    {
        var job = LeaseKey.Job("DE/train-1");

        await Index.SetAsync(job, T0.AddMinutes(1), Ct);
        Assert.Equal(T0.AddMinutes(1), await Index.DueAsync(job, Ct));

        await Index.SetAsync(job, T0.AddDays(30), Ct);
        Assert.Equal(T0.AddDays(30), await Index.DueAsync(job, Ct));
        Assert.Null(await Index.DueAsync(LeaseKey.Execution("DE/train-1"), Ct));
    }

    [Fact]
    public async Task List_OneKind_InKeyOrderUpToTheLimit_WhateverTheirDueTime()
    {
        await Index.SetAsync(LeaseKey.Execution("exec-FR/b/1"), T0.AddDays(3), Ct);
        await Index.SetAsync(LeaseKey.Execution("exec-FR/a/2"), T0, Ct);
        await Index.SetAsync(LeaseKey.Execution("exec-FR/c/1"), T0.AddMinutes(1), Ct);
        await Index.SetAsync(LeaseKey.Job("FR/a"), T0, Ct);

        var executions = await Index.ListAsync(LeaseKind.Execution, 2, Ct);

        Assert.Equal(["exec-FR/a/2", "exec-FR/b/1"], executions.Select(k => k.Key));
        Assert.All(executions, k => Assert.Equal(LeaseKind.Execution, k.Kind));
        Assert.Equal([LeaseKey.Job("FR/a")], await Index.ListAsync(LeaseKind.Job, 10, Ct));
    }

    [Fact]
    public async Task ListDue_EntriesDueByTheBound_BothKinds_PagedAfterTheCursor_ChangingNothing()
    {
        await Index.SetAsync(LeaseKey.Job("DE/b"), T0.AddMinutes(10), Ct);
        await Index.SetAsync(LeaseKey.Job("DE/a"), T0.AddMinutes(5), Ct);
        await Index.SetAsync(LeaseKey.Job("DE/retained"), T0.AddDays(30), Ct);
        await Index.SetAsync(LeaseKey.Execution("exec-DE/z/1"), T0, Ct);
        await Index.SetAsync(LeaseKey.Execution("exec-DE/Z/1"), T0.AddMinutes(1), Ct);
        var bound = T0.AddMinutes(10);

        var first = await Index.ListDueAsync(bound, null, 3, Ct);
        var second = await Index.ListDueAsync(bound, first[^1], 3, Ct);

        // Kind name then key, bytewise: "execution" < "job", "Z" < "z"; the retained job is not due by the bound.
        Assert.Equal([LeaseKey.Execution("exec-DE/Z/1"), LeaseKey.Execution("exec-DE/z/1"), LeaseKey.Job("DE/a")], first);
        Assert.Equal([LeaseKey.Job("DE/b")], second);
        Assert.Empty(await Index.ListDueAsync(bound, second[^1], 3, Ct));
        Assert.Equal(T0.AddMinutes(5), await Index.DueAsync(LeaseKey.Job("DE/a"), Ct));
        Assert.Equal(T0, await Index.DueAsync(LeaseKey.Execution("exec-DE/z/1"), Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Index.ListDueAsync(bound, null, 0, Ct));
    }

    [Fact]
    public async Task Remove_TakesTheEntryAway_RemovingNoneIsHarmless()
    {
        var execution = LeaseKey.Execution("exec-DE/train-1/1");
        await Index.SetAsync(execution, T0, Ct);

        await Index.RemoveAsync(execution, Ct);
        await Index.RemoveAsync(execution, Ct);

        Assert.Null(await Index.DueAsync(execution, Ct));
        Assert.Empty(await Index.ClaimDueAsync(T0.AddDays(1), T0.AddDays(2), 10, Ct));
    }

    [Fact]
    public async Task ClaimDue_TakesOnlyDueEntries_EarliestFirst_AndMakesThemDueAtNext()
    {
        await Index.SetAsync(LeaseKey.Job("DE/late"), T0.AddSeconds(30), Ct);
        await Index.SetAsync(LeaseKey.Job("DE/early"), T0.AddSeconds(-30), Ct);
        await Index.SetAsync(LeaseKey.Execution("exec-FR/on-time/1"), T0, Ct);
        await Index.SetAsync(LeaseKey.Job("DE/future"), T0.AddMinutes(5), Ct);

        var claimed = await Index.ClaimDueAsync(T0, T0.AddMinutes(1), 10, Ct);

        Assert.Equal([LeaseKey.Job("DE/early"), LeaseKey.Execution("exec-FR/on-time/1")], claimed);
        Assert.Equal(T0.AddMinutes(1), await Index.DueAsync(LeaseKey.Job("DE/early"), Ct));
        Assert.Equal(T0.AddMinutes(1), await Index.DueAsync(LeaseKey.Execution("exec-FR/on-time/1"), Ct));
        Assert.Equal(T0.AddSeconds(30), await Index.DueAsync(LeaseKey.Job("DE/late"), Ct));
        Assert.Empty(await Index.ClaimDueAsync(T0, T0.AddMinutes(1), 10, Ct));
    }

    [Fact]
    public async Task ClaimDue_Limit_TakesThatManyEarliest_TheRestNextTime()
    {
        for (var i = 0; i < 5; i++)
        {
            await Index.SetAsync(LeaseKey.Job($"DE/j{i}"), T0.AddSeconds(-10 + i), Ct);
        }

        var first = await Index.ClaimDueAsync(T0, T0.AddMinutes(1), 3, Ct);
        var second = await Index.ClaimDueAsync(T0, T0.AddMinutes(1), 3, Ct);

        Assert.Equal(["DE/j0", "DE/j1", "DE/j2"], first.Select(k => k.Key));
        Assert.Equal(["DE/j3", "DE/j4"], second.Select(k => k.Key));
    }

    [Fact]
    public async Task SameKeyInBothKinds_TwoEntries()
    {
        await Index.SetAsync(LeaseKey.Job("DE/x"), T0, Ct);
        await Index.SetAsync(new LeaseKey(LeaseKind.Execution, "DE/x"), T0.AddSeconds(1), Ct);

        await Index.RemoveAsync(LeaseKey.Job("DE/x"), Ct);

        Assert.Equal(T0.AddSeconds(1), await Index.DueAsync(new LeaseKey(LeaseKind.Execution, "DE/x"), Ct));
    }

    [Fact]
    public async Task ConcurrentWritesOfManyGrains_AllKept_LastWriteOfEachWins()
    {
        await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var key = LeaseKey.Job($"DE/c{i:D3}");
            await Index.SetAsync(key, T0.AddSeconds(i), Ct);
            if (i % 2 == 0)
            {
                await Index.RemoveAsync(key, Ct);
            }
            else
            {
                await Index.SetAsync(key, T0.AddSeconds(-i), Ct);
            }
        }));

        var claimed = await Index.ClaimDueAsync(T0, T0.AddMinutes(1), 1000, Ct);

        Assert.Equal(Enumerable.Range(0, 200).Where(i => i % 2 == 1).Select(i => $"DE/c{i:D3}").Order(StringComparer.Ordinal), claimed.Select(k => k.Key).Order(StringComparer.Ordinal));
        Assert.Equal("DE/c199", claimed[0].Key);
    }

    [Fact]
    public async Task BadArguments_RefusedNamingTheRule()
    {
        var empty = await Assert.ThrowsAsync<ArgumentException>(() => Index.SetAsync(new LeaseKey(LeaseKind.Job, " "), T0, Ct));
        Assert.Contains("key must not be empty", empty.Message, StringComparison.Ordinal);
        var kind = await Assert.ThrowsAsync<ArgumentException>(() => Index.RemoveAsync(new LeaseKey((LeaseKind)7, "DE/x"), Ct));
        Assert.Contains("not a LeaseKind", kind.Message, StringComparison.Ordinal);
        var limit = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Index.ClaimDueAsync(T0, T0.AddMinutes(1), 0, Ct));
        Assert.Equal("limit", limit.ParamName);
        var next = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Index.ClaimDueAsync(T0, T0, 10, Ct));
        Assert.Equal("next", next.ParamName);
    }
}
