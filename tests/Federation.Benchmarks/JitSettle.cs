using System.Diagnostics;
using System.Globalization;

namespace Federation.Benchmarks;

/// <summary>Waits, after the warm-up, for the silos' background (tiered) compilation to settle.</summary>
internal static class JitSettle
{
    /// <summary>Waits until the silos' tiered-compilation threads used under 2 % of a core for 2 s in a row (or the timeout).</summary>
    public static async Task<string> WaitAsync(IEnumerable<int> pids, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var quiet = 0;
        var last = CpuSample.JitSeconds(pids);
        while (clock.Elapsed < timeout)
        {
            await Task.Delay(1000);
            var now = CpuSample.JitSeconds(pids);
            quiet = now - last < 0.02 ? quiet + 1 : 0;
            last = now;
            if (quiet >= 2)
            {
                return string.Create(CultureInfo.InvariantCulture, $"until tiered compilation settled ({last:F1} s of JIT thread CPU in the silos so far)");
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalSeconds:0} s (tiered compilation still busy: {last:F1} s of JIT thread CPU so far)");
    }
}
