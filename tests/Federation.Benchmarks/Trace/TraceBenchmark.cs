using System.Globalization;
using Federation.Reference;

namespace Federation.Benchmarks.Trace;

/// <summary>
/// <c>trace</c>: the reference-trace benchmark (issue 18, item 4). A seeded synthetic trace replayed on
/// fake time through the federation's pure router and three baselines, against the LP lower bound of the
/// offline optimum; prints the table and one <c>Goal '...'</c> line per goal.
/// </summary>
internal static class TraceBenchmark
{
    private const string Usage = """
        usage: trace [--jobs N] [--days D] [--seed S] [--lp-seconds T] [--smoke]
          --jobs        jobs in the trace (default 20000)
          --days        days they arrive over (default 14)
          --seed        random seed (default 18)
          --lp-seconds  time limit of the LP solver (default 600)
          --smoke       CI size: 400 jobs over 2 days
        """;

    public static Task<int> MainAsync(string[] args)
    {
        int jobs = 20_000, days = 14, seed = 18, lpSeconds = 600;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--smoke": (jobs, days) = (400, 2); break;
                case "--jobs" when int.TryParse(value, CultureInfo.InvariantCulture, out var j) && j is >= 10 and <= 200_000: jobs = j; i++; break;
                case "--days" when int.TryParse(value, CultureInfo.InvariantCulture, out var d) && d is >= 1 and <= 300: days = d; i++; break;
                case "--seed" when int.TryParse(value, CultureInfo.InvariantCulture, out var s): seed = s; i++; break;
                case "--lp-seconds" when int.TryParse(value, CultureInfo.InvariantCulture, out var l) && l is >= 1 and <= 7200: lpSeconds = l; i++; break;
                default:
                    Console.Error.WriteLine($"trace: '{args[i]}' is not an option or its value is out of range\n{Usage}");
                    return Task.FromResult(2);
            }
        }

        var output = Console.Out;
        var hours = (days * 24) + (24 * 21);
        // A Monday in March: weekday and weekend hours, a mixed season.
        var world = new TraceWorld(hours, new DateTimeOffset(2020, 3, 2, 0, 0, 0, TimeSpan.Zero), ReferenceTables.Shipped, HourlyIntensitySeries.Shipped2020);
        var trace = TraceGenerator.Generate(world, jobs, days, seed);
        output.WriteLine("Reference trace: carbon-aware placement in space and time against the offline optimum");
        output.WriteLine(F($"  command     dotnet run -c Release --project tests/Federation.Benchmarks -- trace {string.Join(' ', args)}"));
        output.WriteLine(F($"  trace       {jobs:N0} jobs over {days} days from {world.Start:yyyy-MM-dd} (seed {seed}); {trace.Count(j => j.Deferrable):N0} deferrable, {trace.Count(j => j.Student(world)):N0} student-tier, {trace.Count(j => j.Pinned):N0} with residency rules"));
        output.WriteLine(F($"  shape       median run {Median(trace.Select(j => j.RunSeconds)):F0} s (sourced {TraceStatistics.MedianRunSeconds}), mean GPUs {trace.Average(j => j.Gpus):F2} (sourced {TraceStatistics.MeanGpus}), run time rounded up to whole hours, at most {TraceGenerator.MaxHours} h"));
        output.WriteLine(F($"  nations     {string.Join(", ", world.Nations.Select((n, i) => $"{n} {world.Gpus[i]} GPUs"))}; intensity: 2020 hourly series for FR, DE, GB, annual figure for PL, SE"));
        output.WriteLine();

        ITracePolicy[] policies = [new SubmittedPolicy(), new RoundRobinPolicy(), new GreedyNowPolicy(), new TraceRouterPolicy(ReferenceTables.Shipped)];
        var results = policies.Select(p => TraceMetrics.Replay(p, trace, world, hours)).ToList();
        var bound = TraceOptimum.Solve(trace, world, hours, TimeSpan.FromSeconds(lpSeconds));
        TraceReport.Write(output, results, bound);
        return Task.FromResult(double.IsNaN(bound.Gco2e) ? 1 : 0);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
