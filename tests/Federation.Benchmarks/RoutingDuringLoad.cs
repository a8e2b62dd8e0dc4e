using System.Diagnostics;
using System.Globalization;
using Federation.Reference;
using Federation.Routing;

namespace Federation.Benchmarks;

/// <summary>
/// The routing benchmark's decision loop (<see cref="Router.Decide"/>) on a thread of its own in the
/// throughput benchmark's process while the federation is loaded (issue 15: "thread-CPU p99 while the
/// machine is busy, during the throughput run"). The adverts are built before the timed window; during
/// it the thread times a block of decisions per configuration in turn, then waits for the stop signal
/// for <see cref="Pause"/>, so that it takes under a tenth of one processor from the run it watches.
/// </summary>
internal sealed class RoutingDuringLoad : IDisposable
{
    /// <summary>Decisions timed per configuration and block.</summary>
    public const int BlockSize = 250;

    /// <summary>The wait between blocks (for the stop signal, with this timeout).</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    private const int MaxDecisions = 200_000;
    private readonly List<(RoutingSetup Setup, DecisionArm Arm)> _arms;
    private readonly ManualResetEventSlim _stop = new();
    private Thread? _thread;
    private long _threadCpuNs;

    private RoutingDuringLoad(List<(RoutingSetup, DecisionArm)> arms) => _arms = arms;

    /// <summary>Builds the nodes, read models and adverts of each configuration and warms the router up, untimed.</summary>
    public static async Task<RoutingDuringLoad> PrepareAsync(IReadOnlyList<int> nations, int nodes, TextWriter output)
    {
        var options = new RoutingOptions();
        var reference = ReferenceTables.Shipped;
        var router = new Router(reference);
        var arms = new List<(RoutingSetup, DecisionArm)>();
        foreach (var count in nations)
        {
            var federation = RoutingFederation.Create(options.Seed, count, reference);
            var jobs = RoutingJobs.Generate(options.Seed, federation, options.Jobs, reference);
            var setup = await RoutingBenchmark.SetUpAsync(options, router, reference, federation, jobs, nodes, output);
            var arm = new DecisionArm($"{setup.Label} decide, during the throughput run", r => router.Decide(r).Feasible, setup.Requests, MaxDecisions);
            var warm = Stopwatch.StartNew();
            arm.WarmUp(options.WarmUp);
            while (warm.Elapsed < TimeSpan.FromSeconds(1))
            {
                arm.WarmUp(BlockSize);
            }

            arms.Add((setup, arm));
        }

        return new RoutingDuringLoad(arms);
    }

    /// <summary>Starts timing on a thread of its own.</summary>
    public void Start()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "routing-during-load" };
        _thread.Start();
    }

    /// <summary>Stops timing and returns each configuration's decisions timed meanwhile, and the thread's processor time.</summary>
    public (IReadOnlyList<(RoutingSetup Setup, DecisionLatency Latency)> Results, TimeSpan ThreadCpu) Stop()
    {
        _stop.Set();
        _thread?.Join();
        return ([.. _arms.Select(a => (a.Setup, a.Arm.Latency()))], TimeSpan.FromTicks(Interlocked.Read(ref _threadCpuNs) / 100));
    }

    /// <summary>The lines of the throughput output, in the routing benchmark's style, and the goal of issue 15.</summary>
    public static void WriteLines(TextWriter output, IReadOnlyList<(RoutingSetup Setup, DecisionLatency Latency)> results, TimeSpan threadCpu)
    {
        if (results.Count == 0 || results.Any(r => r.Latency.Samples == 0))
        {
            output.WriteLine("  routing     no decision was timed during the run (the timed window was too short)");
            return;
        }

        RoutingDecideReport.WriteLines(output, results.Select(r => (r.Setup.Label + " decide, during the throughput run", r.Latency)));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  routing     {results.Sum(r => r.Latency.Samples):N0} decisions timed on one thread during the timed window, {BlockSize} per configuration in turn with {Pause.TotalMilliseconds:0} ms pauses; the thread used {threadCpu.TotalSeconds:F2} s of CPU (left out of the client's CPU per job)"));
        var met = results.All(r => r.Latency.ThreadCpuP99 < 100);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  routing     goal 'thread CPU p99 under 100 µs while the machine is busy (during the throughput run)': {string.Join(", ", results.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Setup.Nations} nations x {r.Setup.Nodes:N0} nodes {r.Latency.ThreadCpuP99:F1} µs")))}: {(met ? "met" : "NOT met")}"));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Set();
        _thread?.Join();
        _stop.Dispose();
    }

    private void Loop()
    {
        var start = ThreadCpu.Nanoseconds();
        while (!_stop.IsSet && !_arms.All(a => a.Arm.Done))
        {
            foreach (var (_, arm) in _arms)
            {
                arm.Run(BlockSize);
            }

            Interlocked.Exchange(ref _threadCpuNs, ThreadCpu.Nanoseconds() - start);
            _stop.Wait(Pause);
        }
    }
}
