using System.Diagnostics;
using System.Globalization;
using Federation.Testing;

namespace Federation.Benchmarks;

/// <summary>
/// Slurm's own submission path on this machine, against a real local cluster (<c>lab</c>, started
/// with <c>infra/slurm/slurm-up.sh lab 7817 7818 a100:2</c>): sequential <c>sbatch --parsable</c>
/// calls, the same number over 4 parallel loops, and one <c>--array</c> submission. Each job asks
/// for one GPU for an hour, as a federation job does; every job submitted is cancelled at the end.
/// </summary>
internal static class SlurmBaseline
{
    private const string Cluster = "lab";

    /// <summary>Runs the three arms; returns them (empty with a reason when Slurm cannot be started).</summary>
    public static async Task<(List<ThroughputArm> Arms, string? Skipped)> RunAsync(ThroughputOptions options, TextWriter output)
    {
        string conf;
        try
        {
            // infra/slurm/slurm-up.sh lab 7817 7818 a100:2, as the tests start it.
            conf = await SlurmClusters.EnsureAsync(Cluster);
        }
        catch (InvalidOperationException e)
        {
            return ([], e.Message.Split('\n')[0]);
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["SLURM_CONF"] = conf };
        output.WriteLine($"  slurm       cluster {Cluster} (slurmctld 7817, slurmd 7818, gres gpu:a100:2), SLURM_CONF={conf}");
        output.WriteLine($"  sbatch      {string.Join(' ', Arguments("fedbench-x"))}");
        var submitted = new List<string>();
        try
        {
            // Untimed: the first call pays for loading the client and its configuration.
            submitted.Add(await SubmitAsync(environment, "fedbench-warm"));

            var sequential = new List<double>(options.SbatchCalls);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < options.SbatchCalls; i++)
            {
                var call = Stopwatch.StartNew();
                submitted.Add(await SubmitAsync(environment, "fedbench-seq"));
                sequential.Add(call.Elapsed.TotalMilliseconds);
            }

            var sequentialArm = Arm($"Slurm: {options.SbatchCalls} sequential sbatch calls", options.SbatchCalls, clock.Elapsed, sequential);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  measured    sequential sbatch: {sequentialArm.Rate:F1} calls/s"));

            const int Loops = 4;
            var parallel = new List<double>(options.SbatchCalls);
            var gate = new Lock();
            clock.Restart();
            await Task.WhenAll(Enumerable.Range(0, Loops).Select(loop => Task.Run(async () =>
            {
                for (var i = loop; i < options.SbatchCalls; i += Loops)
                {
                    var call = Stopwatch.StartNew();
                    var id = await SubmitAsync(environment, "fedbench-par");
                    lock (gate)
                    {
                        submitted.Add(id);
                        parallel.Add(call.Elapsed.TotalMilliseconds);
                    }
                }
            })));
            var parallelArm = Arm($"Slurm: {options.SbatchCalls} sbatch calls in {Loops} parallel loops", options.SbatchCalls, clock.Elapsed, parallel);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  measured    parallel sbatch: {parallelArm.Rate:F1} calls/s"));

            clock.Restart();
            submitted.Add(await SubmitAsync(environment, "fedbench-array", $"--array=1-{options.ArrayTasks}"));
            var array = clock.Elapsed;
            var arrayArm = new ThroughputArm($"Slurm: one sbatch --array=1-{options.ArrayTasks}", options.ArrayTasks, array.TotalSeconds, "jobs/s", array.TotalMilliseconds, null, "the one call");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  measured    sbatch --array=1-{options.ArrayTasks}: {array.TotalMilliseconds:F0} ms"));
            return ([sequentialArm, parallelArm, arrayArm], null);
        }
        finally
        {
            // Every job this run submitted, by id (an array's id cancels all its tasks).
            foreach (var chunk in submitted.Chunk(200))
            {
                await ProcessRun.RunAsync("scancel", chunk, environment);
            }

            output.WriteLine($"  scancel     {submitted.Count} submissions cancelled");
        }
    }

    private static string[] Arguments(string name, string? extra = null)
    {
        string[] arguments = ["--parsable", $"--job-name={name}", "--gres=gpu:a100:1", "--time=60", "--output=/dev/null", "--wrap=sleep 3600"];
        return extra is null ? arguments : [extra, .. arguments];
    }

    private static async Task<string> SubmitAsync(Dictionary<string, string> environment, string name, string? extra = null)
    {
        var output = await ProcessRun.CheckedAsync("sbatch", Arguments(name, extra), environment);
        return output.Trim().Split(';')[0];
    }

    private static ThroughputArm Arm(string name, int calls, TimeSpan elapsed, List<double> latencies)
    {
        latencies.Sort();
        return new ThroughputArm(name, calls, elapsed.TotalSeconds, "jobs/s", Percentile(latencies, 0.50), Percentile(latencies, 0.99), "one sbatch call");
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
