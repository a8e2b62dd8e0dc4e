using Federation.Benchmarks.Trace;
using Federation.Reference;

namespace Federation.Routing.Tests.Carbon;

/// <summary>The reference trace: its generator is seeded and shaped by the sourced statistics; its policies place as they say.</summary>
public sealed class TraceTests
{
    private const int Days = 3;
    private static readonly TraceWorld s_world = new((Days * 24) + (24 * 21), new DateTimeOffset(2020, 3, 2, 0, 0, 0, TimeSpan.Zero), ReferenceTables.Shipped, HourlyIntensitySeries.Shipped2020);
    private static readonly List<TraceJob> s_large = TraceGenerator.Generate(s_world, 20_000, 14, seed: 7);

    [Fact]
    public void Generate_SameSeed_SameTrace_OtherSeed_OtherTrace()
    {
        Assert.Equal(TraceGenerator.Generate(s_world, 300, Days, 1), TraceGenerator.Generate(s_world, 300, Days, 1));
        Assert.NotEqual(TraceGenerator.Generate(s_world, 300, Days, 1), TraceGenerator.Generate(s_world, 300, Days, 2));
    }

    [Fact]
    public void Generate_RunTimesAndGpuCounts_MatchTheSourcedFiguresWithinTolerance()
    {
        var seconds = s_large.Where(j => !j.Student(s_world)).Select(j => j.RunSeconds).Order().ToArray();
        var median = seconds[seconds.Length / 2];
        Assert.InRange(median, TraceStatistics.MedianRunSeconds * 0.9, TraceStatistics.MedianRunSeconds * 1.1);

        var adults = s_large.Where(j => !j.Student(s_world)).ToList();
        Assert.InRange(adults.Count(j => j.Gpus == 1) / (double)adults.Count, TraceStatistics.GpuShares[0] - 0.02, TraceStatistics.GpuShares[0] + 0.02);
        Assert.InRange(adults.Count(j => j.Gpus > 8) / (double)adults.Count, 0.005, 0.02);
        Assert.InRange(adults.Average(j => j.Gpus), TraceStatistics.MeanGpus * 0.9, TraceStatistics.MeanGpus * 1.1);
        Assert.InRange(s_large.Count(j => j.Student(s_world)) / (double)s_large.Count, 0.04, 0.06);
    }

    [Fact]
    public void Generate_Arrivals_FollowTheDiurnalShape()
    {
        // Arrivals by the users' local hour (UTC+1): the busiest hour over the quietest as in the Helios shape (2.9).
        var byHour = new int[24];
        foreach (var job in s_large)
        {
            byHour[(job.Arrival + 1) % 24]++;
        }

        var ratio = byHour.Max() / (double)byHour.Min();
        var sourced = TraceStatistics.HourShape.Max() / TraceStatistics.HourShape.Min();
        Assert.InRange(ratio, sourced * 0.8, sourced * 1.25);
        Assert.Equal(Array.IndexOf(TraceStatistics.HourShape, TraceStatistics.HourShape.Max()), Array.IndexOf(byHour, byHour.Max()));
    }

    [Fact]
    public void Generate_DeadlinesLeaveRoomForTheRun()
    {
        Assert.All(s_large, j => Assert.True(j.Deadline >= j.Arrival + j.Hours + 2, $"job {j.Id}"));
        Assert.All(s_large, j => Assert.True(j.Allows(j.DataHome), $"job {j.Id}: its data may not be processed at home"));
    }

    [Fact]
    public void Policies_SmallTrace_BaselinesPlaceAsNamed_RouterRespectsResidencyAndBeatsRunWhereSubmitted()
    {
        var jobs = TraceGenerator.Generate(s_world, 300, Days, 5);
        var hours = s_world.Hours;
        var submitted = new SubmittedPolicy();
        var greedy = new GreedyNowPolicy();
        var schedule = new TraceSchedule(s_world, hours);
        foreach (var job in jobs)
        {
            Assert.Equal(job.Home, submitted.Place(job, schedule).Nation);
            var (n, _) = greedy.Place(job, schedule);
            Assert.True(job.Allows(n));
            Assert.All(Enumerable.Range(0, s_world.Nations.Length).Where(job.Allows), m => Assert.True(s_world.Intensity(n, job.Arrival) <= s_world.Intensity(m, job.Arrival)));
        }

        var atHome = TraceMetrics.Replay(submitted, jobs, s_world, hours);
        var router = TraceMetrics.Replay(new TraceRouterPolicy(ReferenceTables.Shipped), jobs, s_world, hours);

        Assert.Equal(0, router.ResidencyViolations);
        Assert.True(atHome.ResidencyViolations > 0, "some jobs are submitted away from data that may not leave home");
        Assert.True(router.Gco2e < atHome.Gco2e * 0.7, $"router {router.Gco2e:F0} g vs run where submitted {atHome.Gco2e:F0} g");
        Assert.InRange(router.Jain, 0, 1);
    }
}
