using System.Globalization;

namespace Federation.Benchmarks;

/// <summary>
/// The calling thread's time on a processor and time waiting for one (Linux <c>/proc/thread-self/schedstat</c>):
/// on a shared machine, waiting time during timed work is latency that other processes caused.
/// </summary>
internal static class ThreadSchedule
{
    private const string Path = "/proc/thread-self/schedstat";

    /// <summary>Nanoseconds on a processor and waiting in the run queue so far; null where the kernel does not say.</summary>
    public static (long OnCpu, long Waiting)? Read()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        var fields = File.ReadAllText(Path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2
            && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var onCpu)
            && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var waiting)
                ? (onCpu, waiting)
                : null;
    }
}
