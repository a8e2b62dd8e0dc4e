using System.Diagnostics;
using System.Globalization;
using Federation.Execution.Slurm;
using Federation.Testing;

namespace Federation.Benchmarks;

/// <summary>
/// What following N Slurm-backed runs costs, against the real local cluster <c>lab</c>: N jobs are
/// submitted (one GPU each for an hour; two run, the rest pend), then every one is polled once per
/// round, all at once as the executions' timers fire, for R rounds: first one
/// <c>scontrol show job</c> per poll (each execution asking alone), then through one
/// <see cref="SlurmJobWatch"/> (what the executor does). It prints, per arm, the Slurm commands run,
/// polls per second, and CPU per poll of this process with its children (the commands) and of
/// <c>slurmctld</c>, and the ratios. Every job submitted is cancelled at the end.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class SlurmPollBenchmark
{
    private const string Cluster = "lab";
    private const double TicksPerSecond = 100;

    public static async Task<int> MainAsync(string[] args)
    {
        var (jobs, rounds) = (200, 10);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--jobs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n is >= 2 and <= 5000:
                    jobs = n;
                    i++;
                    break;
                case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var r) && r is >= 1 and <= 1000:
                    rounds = r;
                    i++;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"unknown or out-of-range argument '{args[i]}'\nusage: slurm-poll [--jobs 2..5000 (200)] [--rounds 1..1000 (10)]");
                    return 2;
            }
        }

        var output = Console.Out;
        output.WriteLine("Following Slurm runs: one command per poll against one shared query per round");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  command     dotnet run -c Release --project tests/Federation.Benchmarks -- slurm-poll --jobs {jobs} --rounds {rounds}"));
        await MachineInfo.PrintAsync(output);
        var conf = await SlurmClusters.EnsureAsync(Cluster);
        var slurm = new SlurmCli(conf, TimeSpan.FromSeconds(60));
        var controller = ControllerPid(conf) ?? throw new InvalidOperationException($"no slurmctld process runs with {conf}: start it with infra/slurm/slurm-up.sh lab 7817 7818 a100:2");
        output.WriteLine($"  slurm       cluster {Cluster}, SLURM_CONF={conf}, slurmctld pid {controller}");

        var directory = Directory.CreateTempSubdirectory("slurm-poll-").FullName;
        var ids = new List<string>(jobs);
        try
        {
            var script = Path.Combine(directory, "hold.sh");
            await File.WriteAllTextAsync(script, "#!/bin/sh\nsleep 3600\n");
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < jobs; i++)
            {
                var name = $"fedbench-poll-{i}";
                ids.Add(await slurm.SubmitAsync(new SlurmSubmission(name, script, directory, Path.Combine(directory, name + ".out"), Path.Combine(directory, name + ".err"), null, "gpu:a100:1", 60, null), CancellationToken.None));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  submitted   {jobs:N0} jobs in {clock.Elapsed.TotalSeconds:F1} s (sleep 3600, gpu:a100:1: two run, the rest pend)"));

            // Untimed: loads the tools and the watch's code once.
            await slurm.GetAsync(ids[0], CancellationToken.None);
            await new SlurmJobWatch(slurm).GetAsync(ids[0], CancellationToken.None);

            var perJob = await MeasureAsync("one scontrol show job per poll (each execution alone)", rounds, ids, controller, id => slurm.GetAsync(id, CancellationToken.None), () => (long)rounds * ids.Count);
            var watch = new SlurmJobWatch(slurm);
            var shared = await MeasureAsync("one SlurmJobWatch: one query per round for all polls", rounds, ids, controller, id => watch.GetAsync(id, CancellationToken.None), () => watch.Queries);

            output.WriteLine();
            output.WriteLine("| arm | polls | Slurm commands | seconds | polls/s | CPU per poll, this process and the commands (ms) | CPU per poll, slurmctld (ms) |");
            output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var arm in new[] { perJob, shared })
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {arm.Name} | {arm.Polls:N0} | {arm.Commands:N0} | {arm.Seconds:F2} | {arm.Polls / arm.Seconds:N0} | {arm.ClientMs / arm.Polls:F3} | {arm.ControllerMs / arm.Polls:F3} |"));
            }

            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Watch / per job: {shared.Commands / (double)perJob.Commands:F3} x the Slurm commands, {shared.ClientMs / Math.Max(perJob.ClientMs, 1e-9):F3} x the CPU of this process and its commands, {shared.ControllerMs / Math.Max(perJob.ControllerMs, 1e-9):F3} x slurmctld's CPU, {perJob.Seconds / shared.Seconds:F1} x the polls per second"));
            return 0;
        }
        finally
        {
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) => await slurm.CancelAsync(id, ct));
            output.WriteLine($"  cleaned up  {ids.Count:N0} jobs cancelled");
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A job may still be writing its output: the temporary directory is left.
            }
        }
    }

    private static async Task<Arm> MeasureAsync(string name, int rounds, List<string> ids, int controller, Func<string, Task<SlurmJob?>> poll, Func<long> commands)
    {
        var (client, ctld) = (SelfAndChildrenSeconds(), SecondsOf($"/proc/{controller}/stat", children: false));
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            var answers = await Task.WhenAll(ids.Select(poll));
            if (answers.Any(a => a is null))
            {
                throw new InvalidOperationException($"{name}: Slurm did not know {answers.Count(a => a is null)} of the submitted jobs in round {round + 1}");
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return new Arm(name, (long)rounds * ids.Count, commands(), seconds,
            (SelfAndChildrenSeconds() - client) * 1000, (SecondsOf($"/proc/{controller}/stat", children: false) - ctld) * 1000);
    }

    private static double SelfAndChildrenSeconds() => SecondsOf("/proc/self/stat", children: true);

    // After the command name: utime is the 14th field, stime the 15th, cutime and cstime (waited-for children) the 16th and 17th.
    private static double SecondsOf(string path, bool children)
    {
        var stat = File.ReadAllText(path);
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var fields = children ? rest[11..15] : rest[11..13];
        return fields.Sum(f => double.Parse(f, CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    private static int? ControllerPid(string conf)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(dir);
            if (pid.All(char.IsAsciiDigit)
                && File.Exists(Path.Combine(dir, "cmdline"))
                && File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0') is [var exe, ..] args
                && exe.EndsWith("slurmctld", StringComparison.Ordinal) && args.Contains(conf))
            {
                return int.Parse(pid, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private sealed record Arm(string Name, long Polls, long Commands, double Seconds, double ClientMs, double ControllerMs);
}
