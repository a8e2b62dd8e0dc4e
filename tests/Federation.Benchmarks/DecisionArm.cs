using System.Collections.Immutable;
using System.Diagnostics;
using Federation.Routing;

namespace Federation.Benchmarks;

/// <summary>
/// One router on one configuration, timed a block of decisions at a time so that several arms can
/// take turns (see <see cref="RoutingBenchmark"/>): what the machine does meanwhile falls on all of them alike.
/// </summary>
internal sealed class DecisionArm(string name, Func<RoutingRequest, int> plan, ImmutableArray<RoutingRequest> requests, int decisions)
{
    private readonly long[] _ticks = new long[decisions];
    private readonly long[] _cpu = new long[decisions];
    private readonly long[] _threadCpu = new long[decisions];
    private readonly bool[] _collected = new bool[decisions];
    private int _done;
    private int _next;
    private long _allocated;
    private long _blockTicks;
    private (int Gen0, int Gen1, int Gen2) _collections;
    private long? _waitingNs = ThreadSchedule.Read() is null ? null : 0;
    private long _sink;

    public string Name => name;

    /// <summary>True when every decision has been timed.</summary>
    public bool Done => _done == _ticks.Length;

    /// <summary>Decides <paramref name="count"/> requests untimed.</summary>
    public void WarmUp(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _sink += plan(requests[_next++ % requests.Length]);
        }
    }

    /// <summary>Times up to <paramref name="count"/> more decisions, one by one.</summary>
    public void Run(int count)
    {
        var end = Math.Min(_ticks.Length, _done + count);
        var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        // Read before the allocation counter: reading the kernel's file allocates (about 8 KB), and that is the benchmark's, not the router's.
        var schedule = ThreadSchedule.Read();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var block = Stopwatch.GetTimestamp();
        for (var i = _done; i < end; i++)
        {
            var request = requests[_next++ % requests.Length];
            var collections = GC.CollectionCount(0);
            var cpu = Environment.CpuUsage.TotalTime;
            var threadCpu = ThreadCpu.Nanoseconds();
            var start = Stopwatch.GetTimestamp();
            var decision = plan(request);
            _ticks[i] = Stopwatch.GetTimestamp() - start;
            _threadCpu[i] = ThreadCpu.Nanoseconds() - threadCpu;
            _cpu[i] = (Environment.CpuUsage.TotalTime - cpu).Ticks;
            _collected[i] = GC.CollectionCount(0) != collections;
            _sink += decision;
        }

        _blockTicks += Stopwatch.GetTimestamp() - block;
        _allocated += GC.GetAllocatedBytesForCurrentThread() - allocated;
        _collections = (_collections.Gen0 + GC.CollectionCount(0) - gen0, _collections.Gen1 + GC.CollectionCount(1) - gen1, _collections.Gen2 + GC.CollectionCount(2) - gen2);
        _waitingNs = schedule is { } before && ThreadSchedule.Read() is { } after ? _waitingNs + (after.Waiting - before.Waiting) : null;
        _done = end;
    }

    /// <summary>The percentiles of the decisions timed so far.</summary>
    public DecisionLatency Latency()
    {
        GC.KeepAlive(_sink);
        return new DecisionLatency(
            _ticks[.._done], _cpu[.._done], ThreadCpu.Available ? _threadCpu[.._done] : null, _collected[.._done], (double)_allocated / Math.Max(1, _done), _collections,
            _waitingNs is { } ns ? TimeSpan.FromTicks(ns / 100) : null, TimeSpan.FromSeconds((double)_blockTicks / Stopwatch.Frequency));
    }
}
