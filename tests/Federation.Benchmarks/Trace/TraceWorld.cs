using Federation.Reference;

namespace Federation.Benchmarks.Trace;

/// <summary>
/// The federation the trace runs in: nations with GPUs, each hour's grid intensity (the 2020 series for
/// FR, DE and GB replayed by hour of the year, the annual figure elsewhere), and the energy figures.
/// </summary>
internal sealed class TraceWorld
{
    /// <summary>Board power of the one accelerator model (a100-80gb-sxm, W) and the PUE of every nation.</summary>
    public const double GpuWatts = 400, Pue = 1.2, TransferKwhPerGb = 0.06;

    private readonly double[][] _intensity;

    public TraceWorld(int hours, DateTimeOffset start, ReferenceTables reference, HourlyIntensitySeries series)
    {
        Start = start;
        Hours = hours;
        _intensity = new double[Nations.Length][];
        for (var n = 0; n < Nations.Length; n++)
        {
            var zone = Nations[n];
            var annual = reference.FindGridZone(zone)?.Gco2PerKwh ?? throw new InvalidOperationException($"no grid figure for {zone}");
            _intensity[n] = [.. Enumerable.Range(0, hours).Select(h => series.Find(zone, start.AddHours(h)) ?? annual)];
        }
    }

    /// <summary>Nation codes; index = nation.</summary>
    public string[] Nations { get; } = ["DE", "PL", "GB", "FR", "SE"];

    /// <summary>GPUs per nation.</summary>
    public int[] Gpus { get; } = [320, 160, 240, 200, 160];

    /// <summary>Share of submissions per nation.</summary>
    public double[] SubmitShare { get; } = [0.30, 0.15, 0.22, 0.18, 0.15];

    /// <summary>Consortium names; the last is the student tier.</summary>
    public string[] Consortia { get; } = ["climate", "health", "language", "physics", "students"];

    /// <summary>Share of (non-student) jobs per consortium.</summary>
    public double[] ConsortiumShare { get; } = [0.4, 0.3, 0.2, 0.1];

    /// <summary>Hour 0.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Hours the intensity is known for.</summary>
    public int Hours { get; }

    /// <summary>Grid intensity of nation <paramref name="n"/> in hour <paramref name="t"/>, gCO2e/kWh (the last hour beyond the horizon).</summary>
    public double Intensity(int n, int t) => _intensity[n][Math.Min(t, Hours - 1)];

    /// <summary>Compute energy of one hour of <paramref name="job"/>, kWh.</summary>
    public static double KwhPerHour(TraceJob job) => job.Gpus * GpuWatts / 1000 * Pue;

    /// <summary>Transfer energy when <paramref name="job"/> runs in <paramref name="n"/>, kWh.</summary>
    public static double TransferKwh(TraceJob job, int n) => n == job.DataHome ? 0 : job.DataBytes / 1e9 * TransferKwhPerGb;

    /// <summary>gCO2e of <paramref name="job"/> run in <paramref name="n"/> from hour <paramref name="start"/>.</summary>
    public double Gco2e(TraceJob job, int n, int start)
    {
        var sum = 0.0;
        for (var h = 0; h < job.Hours; h++)
        {
            sum += Intensity(n, start + h);
        }

        return (KwhPerHour(job) * sum) + (TransferKwh(job, n) * Intensity(n, start));
    }
}
