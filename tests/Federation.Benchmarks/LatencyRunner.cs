namespace Federation.Benchmarks;

/// <summary>
/// Times probes one request at a time, in rounds that visit every probe once, so that background
/// work (garbage collection, autovacuum, grain collection) falls on all of them alike rather than
/// on whichever ran first.
/// </summary>
internal static class LatencyRunner
{
    /// <summary><paramref name="warmUp"/> untimed rounds, then <paramref name="samples"/> timed rounds; checks every answer's row count.</summary>
    public static async Task<List<Latency>> MeasureAsync(IReadOnlyList<Probe> probes, int warmUp, int samples)
    {
        var times = probes.Select(_ => new List<TimeSpan>(samples)).ToArray();
        for (var round = 0; round < warmUp + samples; round++)
        {
            for (var p = 0; p < probes.Count; p++)
            {
                var (elapsed, rows) = await probes[p].RunAsync();
                if (rows != probes[p].ExpectedRows)
                {
                    throw new InvalidOperationException($"Measuring '{probes[p].Name}': {rows} rows came back, expected {probes[p].ExpectedRows}.");
                }

                if (round >= warmUp)
                {
                    times[p].Add(elapsed);
                }
            }
        }

        return [.. probes.Select((probe, p) => new Latency(probe.Name, probe.ExpectedRows, times[p]))];
    }
}
