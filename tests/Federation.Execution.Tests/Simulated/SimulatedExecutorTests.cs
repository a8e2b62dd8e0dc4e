using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution.Simulated;
using Federation.Execution.Workloads;
using Federation.Reference;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Execution.Tests.Simulated;

/// <summary>The simulated strategy: the run model read on fake time through the executor interface.</summary>
public sealed class SimulatedExecutorTests
{
    private static readonly AcceleratorSlug s_a100 = TypedId.Parse<AcceleratorSlug>("a100-80gb-sxm");
    private static readonly ExecutorSettings s_tenSecondsPerHour = new() { SecondsPerEstimatedHour = 10 };
    private static readonly DateTimeOffset s_start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static RunRequest Request(double hours, double walltimeMinutes, DateTimeOffset? startedAt, params (string Key, string Value)[] arguments)
    {
        var spec = new JobSpec
        {
            Id = "sim",
            Owner = new JobOwner("alice", null),
            Purpose = new JobPurpose { Use = ResearchCategory.General },
            Accelerators = new AcceleratorRequest { Count = 1 },
            Work = WorkEstimate.Hours(hours, s_a100),
            Walltime = TimeSpan.FromMinutes(walltimeMinutes),
            Workload = new WorkloadCall
            {
                Name = "demo-train",
                Version = "1.0",
                Arguments = arguments.ToImmutableSortedDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal),
            },
        };
        var job = TypedId.Parse<JobRef>("DE/sim");
        return new RunRequest(job, 1, spec, new WorkloadDefinition { Name = "demo-train", Version = "1.0" }, JobDirectory.For("/jobs", job, 1), NodePool.DefaultAgent, s_a100, [])
        {
            StartedAt = startedAt,
        };
    }

    private static (SimulatedExecutor Executor, FakeTimeProvider Time) Executor()
    {
        var time = new FakeTimeProvider(s_start);
        return (new SimulatedExecutor(ReferenceTables.Shipped, s_tenSecondsPerHour, time), time);
    }

    [Fact]
    public async Task PollAsync_AsTimePasses_RunsWithProgressThenSucceeds()
    {
        // 4 hours on one A100 at 10 s per hour: 40 s.
        var (executor, time) = Executor();
        var request = Request(4, 24 * 60, s_start);
        var (handle, started) = await executor.StartAsync(request, TestContext.Current.CancellationToken);
        Assert.Null(handle);
        Assert.Equal(RunPhase.Running, started.Phase);

        time.Advance(TimeSpan.FromSeconds(10));
        var running = await executor.PollAsync(request, null, TestContext.Current.CancellationToken);
        Assert.Equal((RunPhase.Running, 0.25), (running.Phase, running.Progress!.Value));
        Assert.False(running.Ended);
        Assert.Equal(s_start + TimeSpan.FromSeconds(40), running.SteadyUntil);

        time.Advance(TimeSpan.FromSeconds(30));
        var done = await executor.PollAsync(request, null, TestContext.Current.CancellationToken);
        Assert.Equal((RunPhase.Succeeded, 0, 1.0), (done.Phase, done.ExitCode!.Value, done.Progress!.Value));
        Assert.Equal("finished with exit code 0", done.Reason);
        Assert.Null(done.SteadyUntil);
    }

    [Fact]
    public async Task PollAsync_WalltimeBeforeTheModelledEnd_IsSteadyOnlyUntilTheWalltime()
    {
        // 2 hours of work, 60 minutes of walltime at 10 s per hour: nothing changes before 10 s, the walltime.
        var (executor, time) = Executor();
        var request = Request(2, 60, s_start);
        time.Advance(TimeSpan.FromSeconds(3));
        var status = await executor.PollAsync(request, null, TestContext.Current.CancellationToken);
        Assert.Equal((RunPhase.Running, s_start + TimeSpan.FromSeconds(10)), (status.Phase, status.SteadyUntil));
    }

    [Fact]
    public async Task PollAsync_PastTheWalltime_TimesOutWithoutAnExitCode()
    {
        // 2 hours of work, 60 minutes of walltime: stopped at 10 s, halfway.
        var (executor, time) = Executor();
        var request = Request(2, 60, s_start);
        time.Advance(TimeSpan.FromSeconds(10));
        var status = await executor.PollAsync(request, null, TestContext.Current.CancellationToken);
        Assert.Equal((RunPhase.TimedOut, (int?)null, 0.5), (status.Phase, status.ExitCode, status.Progress!.Value));
        Assert.Contains("walltime", status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollAsync_AskedToFail_FailsWithTheExitCode()
    {
        var (executor, time) = Executor();
        var request = Request(1, 600, s_start, ("simulate-exit-code", "3"));
        time.Advance(TimeSpan.FromSeconds(10));
        var status = await executor.PollAsync(request, null, TestContext.Current.CancellationToken);
        Assert.Equal((RunPhase.Failed, 3), (status.Phase, status.ExitCode!.Value));
    }

    [Fact]
    public async Task PollAsync_NotStarted_IsPending()
    {
        var (executor, _) = Executor();
        var status = await executor.PollAsync(Request(1, 600, null), null, TestContext.Current.CancellationToken);
        Assert.Equal(RunPhase.Pending, status.Phase);
    }

    [Fact]
    public void RunHours_ScalesWallClockBackAndStopsAtTheRunsEnd()
    {
        var (executor, _) = Executor();
        var request = Request(4, 24 * 60, s_start);
        Assert.Equal(1, executor.RunHours(request, TimeSpan.FromSeconds(10)), 9);
        Assert.Equal(4, executor.RunHours(request, TimeSpan.FromSeconds(40)), 9);
        Assert.Equal(4, executor.RunHours(request, TimeSpan.FromMinutes(5)), 9);
        Assert.Equal(0, executor.RunHours(request with { Accelerator = default }, TimeSpan.FromSeconds(10)));
        Assert.Equal(0, executor.RunHours(request, TimeSpan.Zero));
    }
}
