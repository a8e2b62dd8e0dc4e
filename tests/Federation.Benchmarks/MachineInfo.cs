using System.Runtime;
using System.Runtime.InteropServices;

namespace Federation.Benchmarks;

/// <summary>What every benchmark prints about the machine it ran on.</summary>
internal static class MachineInfo
{
    /// <summary>Writes the processors, memory, operating system and runtime.</summary>
    public static async Task PrintAsync(TextWriter output)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? (await File.ReadAllLinesAsync("/proc/cpuinfo")).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        output.WriteLine($"  machine     {Environment.ProcessorCount} processors ({cpu ?? "model unknown"}), {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024.0):F1} GiB memory, {RuntimeInformation.OSDescription}");
        output.WriteLine($"  runtime     {RuntimeInformation.FrameworkDescription}, server GC {GCSettings.IsServerGC}");
    }

    /// <summary>Writes the load average, which says whether other work competed for the cores (the machine may be shared).</summary>
    public static async Task PrintLoadAverageAsync(TextWriter output, string when)
    {
        if (File.Exists("/proc/loadavg"))
        {
            var fields = (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ');
            output.WriteLine($"  load avg    {fields[0]} {fields[1]} {fields[2]} (1, 5, 15 min) {when}, {Environment.ProcessorCount} processors");
        }
    }
}
