using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Federation.Benchmarks.Learning;

/// <summary>
/// Runs a verb of the built reference training workload as its own process (<c>dotnet Federation.Workloads.Training.dll VERB ...</c>),
/// as a silo's local step runs the allow-listed <c>train.sh</c>; and reads this process's CPU time and that of its
/// finished children from <c>/proc/self/stat</c>.
/// </summary>
internal static class WorkloadProcess
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(20);

    /// <summary>The built workload, next to the benchmark's configuration (the project reference builds it first).</summary>
    public static string Dll { get; } = Path.GetFullPath(
        typeof(WorkloadProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TrainingWorkloadDll").Value!);

    /// <summary>Runs <paramref name="verb"/> with <paramref name="arguments"/>; throws with its standard error when it fails.</summary>
    public static async Task RunAsync(string verb, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[Dll, verb, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"the workload's {verb} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(s_timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the workload's {verb} ran longer than {s_timeout} and was killed");
        }

        await output;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the workload's {verb} {string.Join(' ', arguments)} exited {process.ExitCode}: {(await errors).Trim()}");
        }
    }

    /// <summary>CPU seconds (user + system) of this process, and of its children that have ended, so far.</summary>
    public static (double Self, double Children) CpuSeconds()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, 0);
        }

        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double Ticks(int field) => double.Parse(fields[field - 3], CultureInfo.InvariantCulture) / 100;
        return (Ticks(14) + Ticks(15), Ticks(16) + Ticks(17));
    }
}
