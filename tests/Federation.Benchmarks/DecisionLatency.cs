using System.Diagnostics;

namespace Federation.Benchmarks;

/// <summary>Timed decisions of one router in one configuration: percentiles (nearest rank), max and mean in microseconds.</summary>
internal sealed class DecisionLatency
{
    private readonly long[] _sortedTicks;
    private readonly long[] _sortedTicksWithoutGc;
    private readonly long[] _sortedCpu;
    private readonly long[]? _sortedThreadCpu;

    /// <param name="ticks">Stopwatch ticks, one per decision.</param>
    /// <param name="cpu">Processor time of the whole process (all its threads, garbage collector included) during each decision, in TimeSpan ticks.</param>
    /// <param name="threadCpu">The deciding thread's own processor time per decision, in nanoseconds; null where it cannot be read.</param>
    /// <param name="collected">Per decision, true when a garbage collection happened during it.</param>
    /// <param name="allocatedBytesPerDecision">Bytes the deciding thread allocated per decision.</param>
    /// <param name="collections">Garbage collections of each generation during the timed decisions.</param>
    /// <param name="waiting">How long the deciding thread waited for a processor while timing, if known.</param>
    /// <param name="timing">How long the timing took, decisions and the bookkeeping between them (what <paramref name="waiting"/> is part of).</param>
    public DecisionLatency(long[] ticks, long[] cpu, long[]? threadCpu, bool[] collected, double allocatedBytesPerDecision, (int Gen0, int Gen1, int Gen2) collections, TimeSpan? waiting, TimeSpan timing)
    {
        Timing = timing;
        _sortedTicksWithoutGc = [.. ticks.Where((_, i) => !collected[i]).Order()];
        _sortedTicks = [.. ticks.Order()];
        _sortedCpu = [.. cpu.Order()];
        _sortedThreadCpu = threadCpu is null ? null : [.. threadCpu.Order()];
        AllocatedBytesPerDecision = allocatedBytesPerDecision;
        Collections = collections;
        Waiting = waiting;
    }

    public int Samples => _sortedTicks.Length;

    public double P50 => Percentile(_sortedTicks, 0.50);

    public double P99 => Percentile(_sortedTicks, 0.99);

    public double Max => Microseconds(_sortedTicks[^1]);

    public double Mean => Microseconds(_sortedTicks.Average(t => (double)t));

    /// <summary>p50 of the process's processor time per decision: the work, without time spent waiting for a processor.</summary>
    public double CpuP50 => TimeSpan.FromTicks(Rank(_sortedCpu, 0.50)).TotalMicroseconds;

    /// <summary>p99 of the process's processor time per decision.</summary>
    public double CpuP99 => TimeSpan.FromTicks(Rank(_sortedCpu, 0.99)).TotalMicroseconds;

    /// <summary>p50 of the deciding thread's own processor time per decision, µs (NaN where unknown): no preemption, no garbage collection by other threads.</summary>
    public double ThreadCpuP50 => _sortedThreadCpu is null ? double.NaN : Rank(_sortedThreadCpu, 0.50) / 1e3;

    /// <summary>p99 of the deciding thread's own processor time per decision, µs (NaN where unknown).</summary>
    public double ThreadCpuP99 => _sortedThreadCpu is null ? double.NaN : Rank(_sortedThreadCpu, 0.99) / 1e3;

    /// <summary>Decisions during which a garbage collection ran.</summary>
    public int WithGc => _sortedTicks.Length - _sortedTicksWithoutGc.Length;

    /// <summary>p99 of the decisions during which no garbage collection ran.</summary>
    public double P99WithoutGc => _sortedTicksWithoutGc.Length == 0 ? double.NaN : Percentile(_sortedTicksWithoutGc, 0.99);

    /// <summary>Bytes the deciding thread allocated per decision.</summary>
    public double AllocatedBytesPerDecision { get; }

    /// <summary>Garbage collections of each generation during the timed decisions.</summary>
    public (int Gen0, int Gen1, int Gen2) Collections { get; }

    /// <summary>How long the timing took, decisions and the bookkeeping between them.</summary>
    public TimeSpan Timing { get; }

    /// <summary>While timing, how long the thread waited for a processor (preempted by other work), if known.</summary>
    public TimeSpan? Waiting { get; }

    /// <summary>The share of <see cref="Timing"/> the thread spent waiting for a processor, if known.</summary>
    public double? WaitingShare => Waiting / Timing;

    private static double Percentile(long[] sorted, double p) => Microseconds(Rank(sorted, p));

    /// <summary>The nearest-rank percentile <paramref name="p"/> of <paramref name="sorted"/>.</summary>
    private static long Rank(long[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Microseconds(double ticks) => ticks * 1e6 / Stopwatch.Frequency;
}
