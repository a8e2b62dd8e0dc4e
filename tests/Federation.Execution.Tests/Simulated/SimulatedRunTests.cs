using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution.Simulated;
using Federation.Reference;

namespace Federation.Execution.Tests.Simulated;

/// <summary>The simulated executor's model of a run: time-scaled duration, walltime, asked-for failures.</summary>
public sealed class SimulatedRunTests
{
    private static readonly AcceleratorSlug s_a100 = TypedId.Parse<AcceleratorSlug>("a100-80gb-sxm");
    private static readonly AcceleratorSlug s_h100 = TypedId.Parse<AcceleratorSlug>("h100-sxm");
    private static readonly ExecutorSettings s_tenSecondsPerHour = new() { SecondsPerEstimatedHour = 10 };

    private static JobSpec Spec(double hours, int count, double walltimeMinutes, params (string Key, string Value)[] arguments) => new()
    {
        Id = "sim",
        Owner = new JobOwner("alice", null),
        Purpose = new JobPurpose { Use = ResearchCategory.General },
        Accelerators = new AcceleratorRequest { Count = count },
        Work = WorkEstimate.Hours(hours, s_a100),
        Walltime = TimeSpan.FromMinutes(walltimeMinutes),
        Workload = new WorkloadCall
        {
            Name = "demo-train",
            Version = "1.0",
            Arguments = arguments.ToImmutableSortedDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal),
        },
    };

    [Fact]
    public void For_HoursOnTheReference_RunsTheirShareOnEachAcceleratorScaled()
    {
        // 8 accelerator-hours on 2 A100s: 4 hours, 40 s at 10 s per hour.
        var run = SimulatedRun.For(Spec(8, 2, 24 * 60), s_a100, ReferenceTables.Shipped, s_tenSecondsPerHour);
        Assert.Equal(TimeSpan.FromSeconds(40), run.Duration);
        Assert.Equal((JobState.Running, 0.5), (run.At(TimeSpan.FromSeconds(20)).State, run.At(TimeSpan.FromSeconds(20)).Progress));
        Assert.Equal(JobState.Succeeded, run.At(TimeSpan.FromSeconds(40)).State);
        Assert.Equal(4, run.RunHours(TimeSpan.FromSeconds(40)), 9);
    }

    [Fact]
    public void For_AFasterAccelerator_RunsShorterByTheThroughputRatio()
    {
        var run = SimulatedRun.For(Spec(989, 1, 1e6), s_h100, ReferenceTables.Shipped, s_tenSecondsPerHour);
        Assert.Equal(312 * 10, run.Duration.TotalSeconds, 6);
    }

    [Fact]
    public void At_LongerThanTheWalltime_TimesOutAtTheWalltime()
    {
        // 2 hours of work, 60 minutes of walltime: 20 s of run, stopped at 10 s.
        var run = SimulatedRun.For(Spec(2, 1, 60), s_a100, ReferenceTables.Shipped, s_tenSecondsPerHour);
        Assert.Equal(JobState.Running, run.At(TimeSpan.FromSeconds(9)).State);
        var (state, progress, message) = run.At(TimeSpan.FromSeconds(10));
        Assert.Equal(JobState.TimedOut, state);
        Assert.Equal(0.5, progress, 9);
        Assert.Contains("walltime", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("simulate-fail", "true", 1)]
    [InlineData("simulate-exit-code", "3", 3)]
    public void At_AskedToFail_FailsWithTheExitCode(string argument, string value, int exitCode)
    {
        var run = SimulatedRun.For(Spec(1, 1, 600, (argument, value)), s_a100, ReferenceTables.Shipped, s_tenSecondsPerHour);
        Assert.Equal(exitCode, run.ExitCode);
        var (state, _, message) = run.At(run.Duration);
        Assert.Equal(JobState.Failed, state);
        Assert.Equal($"finished with exit code {exitCode}", message);
    }
}
