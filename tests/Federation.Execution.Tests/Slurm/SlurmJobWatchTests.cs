using Federation.Execution.Slurm;

namespace Federation.Execution.Tests.Slurm;

/// <summary>
/// <see cref="SlurmJobWatch"/> over fake queries that the test holds open and releases, so that the
/// rounds are seen forming: who waits for which query, and how many queries run.
/// </summary>
public sealed class SlurmJobWatchTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAsync_LoneLookup_AsksForThatJobAlone()
    {
        var slurm = new FakeSlurm(Job("7", SlurmJobState.Running));
        var watch = slurm.Watch();

        var lookup = watch.GetAsync("7", Ct);
        (await slurm.NextQueryAsync()).Release();

        Assert.Equal(SlurmJobState.Running, (await lookup)!.State);
        Assert.Equal(["7"], slurm.OneAsked);
        Assert.Equal(0, slurm.AllAsked);
        Assert.Equal((1, 1), (watch.Queries, watch.Lookups));
    }

    [Fact]
    public async Task GetAsync_LookupsDuringAQuery_AreAnsweredTogetherByOneQueryStartedAfterThem()
    {
        var slurm = new FakeSlurm(Job("1", SlurmJobState.Running), Job("2", SlurmJobState.Pending), Job("3", SlurmJobState.Completed, exitCode: 0));
        var watch = slurm.Watch();

        var first = watch.GetAsync("1", Ct);
        var running = await slurm.NextQueryAsync();
        var waiting = Enumerable.Range(0, 50).Select(i => watch.GetAsync(((i % 3) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Ct)).ToList();
        slurm.Jobs["1"] = Job("1", SlurmJobState.Completed, exitCode: 0);
        running.Release();

        // The lookups that came while the first query ran are not answered by it.
        Assert.Equal(SlurmJobState.Running, (await first)!.State);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        (await slurm.NextQueryAsync()).Release();

        var answers = await Task.WhenAll(waiting);
        Assert.Equal(SlurmJobState.Completed, answers[0]!.State);
        Assert.Equal(["1", "2", "3"], answers.Take(3).Select(a => a!.Id));
        Assert.Equal((2, 51), (watch.Queries, watch.Lookups));
        Assert.Equal((1, 1), (slurm.OneAsked.Count, slurm.AllAsked));
    }

    [Fact]
    public async Task GetAsync_JobSlurmNoLongerKnows_IsNullInASingleAndInAShared()
    {
        var slurm = new FakeSlurm(Job("1", SlurmJobState.Running));
        var watch = slurm.Watch();

        var alone = watch.GetAsync("40", Ct);
        var running = await slurm.NextQueryAsync();
        var shared = (watch.GetAsync("41", Ct), watch.GetAsync("1", Ct));
        running.Release();
        (await slurm.NextQueryAsync()).Release();

        Assert.Null(await alone);
        Assert.Null(await shared.Item1);
        Assert.Equal("1", (await shared.Item2)!.Id);
    }

    [Fact]
    public async Task GetAsync_QueryFails_FailsItsRoundOnlyAndTheNextRoundStillRuns()
    {
        var slurm = new FakeSlurm(Job("1", SlurmJobState.Running), Job("2", SlurmJobState.Running));
        var watch = slurm.Watch();

        var failing = watch.GetAsync("1", Ct);
        var running = await slurm.NextQueryAsync();
        var next = (watch.GetAsync("1", Ct), watch.GetAsync("2", Ct));
        running.Fail(new SlurmException("scontrol show job -o 1", 1, "slurm_load_jobs error: Unable to contact slurm controller", "failed"));
        (await slurm.NextQueryAsync()).Release();

        await Assert.ThrowsAsync<SlurmException>(() => failing);
        Assert.Equal(["1", "2"], [(await next.Item1)!.Id, (await next.Item2)!.Id]);

        // Nothing is left running: a later lookup starts a query of its own at once.
        var later = watch.GetAsync("2", Ct);
        (await slurm.NextQueryAsync()).Release();
        Assert.Equal("2", (await later)!.Id);
    }

    [Fact]
    public async Task GetAsync_CallerCancels_EndsItsWaitNotTheQueryOrTheOthers()
    {
        var slurm = new FakeSlurm(Job("1", SlurmJobState.Running));
        var watch = slurm.Watch();
        using var cancel = new CancellationTokenSource();

        var first = watch.GetAsync("1", Ct);
        var running = await slurm.NextQueryAsync();
        var cancelled = watch.GetAsync("1", cancel.Token);
        var other = watch.GetAsync("1", Ct);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(other.IsCompleted);
        running.Release();
        Assert.Equal("1", (await first)!.Id);

        // The round the cancelled lookup had joined still runs for the other one.
        (await slurm.NextQueryAsync()).Release();
        Assert.Equal("1", (await other)!.Id);
        Assert.Equal(2, watch.Queries);
    }

    [Fact]
    public void GetAsync_BlankId_IsRefused()
    {
        var watch = new FakeSlurm().Watch();

        Assert.Throws<ArgumentException>(() => { _ = watch.GetAsync(" ", Ct); });
        Assert.Equal(0, watch.Lookups);
    }

    private static SlurmJob Job(string id, SlurmJobState state, int? exitCode = null) =>
        new(id, $"FR-job{id}-e1", state, "None", exitCode, null);

    /// <summary>Slurm as the watch sees it: each query reads the jobs when it starts, then waits until the test releases (or fails) it.</summary>
    private sealed class FakeSlurm(params SlurmJob[] jobs)
    {
        private readonly System.Threading.Channels.Channel<Gate> _queries = System.Threading.Channels.Channel.CreateUnbounded<Gate>();

        public Dictionary<string, SlurmJob> Jobs { get; } = jobs.ToDictionary(j => j.Id, StringComparer.Ordinal);

        public List<string> OneAsked { get; } = [];

        public int AllAsked { get; private set; }

        public SlurmJobWatch Watch() => new(OneAsync, AllAsync);

        /// <summary>The next query the watch started (waits for it).</summary>
        public async Task<Gate> NextQueryAsync()
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(s_wait);
            try
            {
                return await _queries.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                throw new TimeoutException($"expected the watch to start a query within {s_wait.TotalSeconds} s");
            }
        }

        private async Task<SlurmJob?> OneAsync(string id, CancellationToken ct)
        {
            OneAsked.Add(id);
            var seen = Jobs.GetValueOrDefault(id);
            await Opened();
            return seen;
        }

        private async Task<IReadOnlyList<SlurmJob>> AllAsync(CancellationToken ct)
        {
            AllAsked++;
            SlurmJob[] seen = [.. Jobs.Values];
            await Opened();
            return seen;
        }

        private Task Opened()
        {
            var gate = new Gate();
            _queries.Writer.TryWrite(gate);
            return gate.Opened.Task;
        }
    }

    private sealed class Gate
    {
        public TaskCompletionSource Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => Opened.SetResult();

        public void Fail(Exception e) => Opened.SetException(e);
    }
}
