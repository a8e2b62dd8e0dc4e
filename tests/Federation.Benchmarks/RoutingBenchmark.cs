using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Federation.Contracts.Peers;
using Federation.Contracts.Routing;
using Federation.Reference;
using Federation.Routing;

namespace Federation.Benchmarks;

/// <summary>
/// Routing decisions (issue 5): the latency of <see cref="Router.Plan"/> with 3, 10 and 100
/// nations and 1,000 or 100,000 GPU nodes behind their adverts. The nodes are generated, written
/// into each nation's read model, and each advert is built from it as a nation builds its own;
/// the time of that build is reported apart, because that is where the node count goes. A naive
/// router that scans every node of every nation for each decision gives the baseline.
/// </summary>
internal static class RoutingBenchmark
{
    private const int Repeats = 9;
    private const double NoGrowthLimit = 1.25;
    private const double GoalMicroseconds = 1_000;
    private const int GoalNations = 100;
    private const int JitNations = 10;
    private const int JitNodes = 1_000;
    private const int BlockSize = 250;
    private static readonly TimeSpan s_minWarmUp = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_jitWarmUp = TimeSpan.FromSeconds(3);

    private static readonly string[] s_rules = [.. Enum.GetValues<RoutingRule>().Select(Router.Name)];

    /// <summary>Parses the arguments after <c>routing</c>, runs the benchmark and prints the tables.</summary>
    public static async Task<int> MainAsync(string[] args)
    {
        var options = RoutingOptions.Parse(args, out var error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync((error is { Length: > 0 } ? error + "\n" : "") + RoutingOptions.Usage);
            return error is { Length: > 0 } ? 2 : 0;
        }

        await RunAsync(options, Console.Out);
        return 0;
    }

    private static async Task RunAsync(RoutingOptions options, TextWriter output)
    {
        var total = Stopwatch.StartNew();
        var reference = ReferenceTables.Shipped;
        var router = new Router(reference);
        var blocks = (options.Decisions + BlockSize - 1) / BlockSize;
        output.WriteLine("Routing decisions: federation router benchmark");
        output.WriteLine($"  command     {options.Command()}");
        await MachineInfo.PrintAsync(output);
        output.WriteLine($"  reference   ReferenceTables.Shipped: {reference.Accelerators.Count()} accelerator models, {reference.GridZones.Count()} grid zones; ScoreWeights.Default; protocol version 1");
        output.WriteLine($"  jobs        {options.Jobs:N0} distinct per federation size, every nation a candidate; decisions cycle through them, one at a time on one thread");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  timing      per federation size, 2 routers x {options.Nodes.Length} node counts take turns in {blocks} rounds of {BlockSize} decisions each (so that other work on the machine falls on all alike), after {options.WarmUp:N0} untimed decisions each (at least {s_minWarmUp.TotalSeconds:0.#} s) and a full GC; {options.Decisions:N0} decisions timed one by one with Stopwatch ({Stopwatch.Frequency / 1e6:0.#} ticks/µs)"));
        await MachineInfo.PrintLoadAverageAsync(output, "before measuring");

        // Both routers run untimed first, so that tiered compilation is done before the first configuration.
        var clock = Stopwatch.StartNew();
        var jitFederation = RoutingFederation.Create(options.Seed + 1, JitNations, reference);
        var jitNodes = NodePopulation.Generate(options.Seed + 1, JitNations, JitNodes, reference);
        var jitCandidates = jitFederation.WithCapacity([.. Enumerable.Range(0, JitNations).Select(jitNodes.Summarise)]);
        var jitRequests = RoutingJobs.Generate(options.Seed + 1, jitFederation, 200, reference).Select(j => j with { Candidates = jitCandidates }).ToImmutableArray();
        var jitPerNode = new PerNodeRouter(router, jitFederation, jitNodes);
        for (var i = 0; clock.Elapsed < s_jitWarmUp; i++)
        {
            _ = router.Plan(jitRequests[i % jitRequests.Length]);
            _ = jitPerNode.Plan(jitRequests[i % jitRequests.Length]);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  warm-up     {clock.Elapsed.TotalSeconds:F1} s of untimed decisions by both routers ({JitNations} nations, {JitNodes:N0} nodes, another seed) before the first configuration"));
        output.WriteLine();

        var results = new List<RoutingResult>();
        foreach (var nations in options.Nations)
        {
            var federation = RoutingFederation.Create(options.Seed, nations, reference);
            var jobs = RoutingJobs.Generate(options.Seed, federation, options.Jobs, reference);
            var setups = new List<RoutingSetup>();
            foreach (var nodes in options.Nodes)
            {
                setups.Add(await SetUpAsync(options, router, reference, federation, jobs, nodes, output));
            }

            var arms = setups.SelectMany(setup => new[]
            {
                new DecisionArm($"{setup.Label} router", r => router.Plan(r).Candidates.Length, setup.Requests, options.Decisions),
                new DecisionArm($"{setup.Label} per-node scan", r => setup.PerNode.Plan(r).Candidates.Length, setup.Requests, options.Decisions),
                new DecisionArm($"{setup.Label} decide", r => router.Decide(r).Feasible, setup.Requests, options.Decisions),
            }).ToList();
            Measure(arms, options, nations, output);

            // The same decisions again while other threads burn every processor and allocate: thread CPU is the work alone.
            var busyArms = setups.SelectMany(setup => new[]
            {
                new DecisionArm($"{setup.Label} router, busy", r => router.Plan(r).Candidates.Length, setup.Requests, options.Decisions),
                new DecisionArm($"{setup.Label} decide, busy", r => router.Decide(r).Feasible, setup.Requests, options.Decisions),
            }).ToList();
            using (new BusyMachine())
            {
                Measure(busyArms, options, nations, output);
            }

            for (var i = 0; i < setups.Count; i++)
            {
                var (routed, scanned) = (arms[3 * i].Latency(), arms[(3 * i) + 1].Latency());
                var result = new RoutingResult(setups[i], routed, scanned)
                {
                    Decide = arms[(3 * i) + 2].Latency(),
                    RouterBusy = busyArms[2 * i].Latency(),
                    DecideBusy = busyArms[(2 * i) + 1].Latency(),
                };
                results.Add(result);
                foreach (var (name, latency) in new[] { (arms[3 * i].Name, routed), (arms[(3 * i) + 1].Name, scanned) })
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {name + ":",-48} p50 {latency.P50,8:F1} µs, p99 {latency.P99,8:F1} µs (CPU p99 {latency.CpuP99,6:F0} µs){Waited(latency)}"));
                }

                RoutingDecideReport.WriteLines(output, [(arms[(3 * i) + 2].Name, result.Decide), (busyArms[2 * i].Name, result.RouterBusy), (busyArms[(2 * i) + 1].Name, result.DecideBusy)]);
            }
        }

        output.WriteLine();
        await MachineInfo.PrintLoadAverageAsync(output, "after measuring");
        PrintTables(options, results, output);
        output.WriteLine();
        output.WriteLine($"Reproduce: {options.Command()}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Total run time {total.Elapsed.TotalMinutes:F1} min"));
    }

    /// <summary>Nodes, read models and adverts of one configuration, checked against the per-node scan.</summary>
    internal static async Task<RoutingSetup> SetUpAsync(
        RoutingOptions options, Router router, ReferenceTables reference, RoutingFederation federation, ImmutableArray<RoutingRequest> jobs, int nodeCount, TextWriter output)
    {
        var nations = federation.Nations.Length;
        var clock = Stopwatch.StartNew();
        var population = NodePopulation.Generate(options.Seed, nations, nodeCount, reference);
        var indexes = await population.LoadReadModelsAsync(federation.Nations, reference);
        var load = clock.Elapsed;

        // Adverts from the read models, as each nation builds its own; timed apart from the decisions.
        var summaries = new ImmutableArray<AcceleratorCapacity>[nations];
        var builds = new List<TimeSpan>(Repeats);
        for (var repeat = 0; repeat < Repeats; repeat++)
        {
            clock.Restart();
            for (var n = 0; n < nations; n++)
            {
                summaries[n] = [.. await indexes[n].SummarizeCapacityAsync()];
            }

            builds.Add(clock.Elapsed);
        }

        var candidates = federation.WithCapacity(summaries);

        // The per-node scan must see the same capacity as the read model, or the baseline would decide differently.
        var scans = new List<TimeSpan>(Repeats);
        for (var repeat = 0; repeat < Repeats; repeat++)
        {
            clock.Restart();
            for (var n = 0; n < nations; n++)
            {
                var summary = population.Summarise(n);
                if (repeat == 0 && !summary.SequenceEqual(summaries[n]))
                {
                    throw new InvalidOperationException($"Setup: the per-node scan of {federation.Nations[n]} disagrees with its read model.");
                }
            }

            scans.Add(clock.Elapsed);
        }

        var requests = jobs.Select(j => j with { Candidates = candidates }).ToImmutableArray();
        var perNode = new PerNodeRouter(router, federation, population);
        var (chosen, feasible, excludedBy) = Mix(router, perNode, requests);
        var entries = candidates.Where(c => c.Advert is not null).Select(c => c.Advert!.Accelerators.Length).ToList();
        var setup = new RoutingSetup
        {
            Nations = nations,
            Nodes = nodeCount,
            Requests = requests,
            PerNode = perNode,
            NodesPerNation = population.NodesPerNation,
            Accelerators = population.Accelerators,
            AdvertEntries = (entries.Average(), entries.Max()),
            LoadReadModels = load,
            BuildAdverts = Median(builds),
            ScanAllNodes = Median(scans),
            ChosenShare = chosen,
            MeanFeasible = feasible,
            ExcludedBy = excludedBy,
        };
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {setup.Label} nodes into read models {load.TotalSeconds:F1} s; all adverts built in {setup.BuildAdverts.TotalMilliseconds:F2} ms; every job decided alike by both routers; a nation chosen for {chosen:P0} of jobs"));
        output.Flush();
        return setup;
    }

    /// <summary>One decision per distinct job, by both routers: checks that they agree, and describes the mix.</summary>
    private static (double Chosen, double Feasible, Dictionary<string, double> ExcludedBy) Mix(Router router, PerNodeRouter perNode, ImmutableArray<RoutingRequest> requests)
    {
        var chosen = 0;
        var feasible = 0;
        var verdicts = 0;
        var excluded = s_rules.ToDictionary(r => r, _ => 0, StringComparer.Ordinal);
        foreach (var request in requests)
        {
            var decision = router.Plan(request);
            if (decision != perNode.Plan(request))
            {
                throw new InvalidOperationException($"Setup: the router and the per-node scan decided {request.Job} differently.");
            }

            chosen += decision.Chosen is null ? 0 : 1;
            foreach (var verdict in decision.Candidates)
            {
                verdicts++;
                feasible += verdict.Feasible ? 1 : 0;
                foreach (var rule in verdict.Exclusions.Select(e => Router.Name(e.Rule)).Distinct())
                {
                    excluded[rule]++;
                }
            }
        }

        return ((double)chosen / requests.Length, (double)feasible / requests.Length, excluded.ToDictionary(e => e.Key, e => (double)e.Value / verdicts, StringComparer.Ordinal));
    }

    /// <summary>Warms every arm up, then times them in turns, a block of decisions each, until each has timed all of its decisions.</summary>
    private static void Measure(List<DecisionArm> arms, RoutingOptions options, int nations, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        foreach (var arm in arms)
        {
            var warmUp = Stopwatch.StartNew();
            arm.WarmUp(options.WarmUp);
            while (warmUp.Elapsed < s_minWarmUp)
            {
                arm.WarmUp(BlockSize);
            }
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var rounds = (options.Decisions + BlockSize - 1) / BlockSize;
        var nextReport = 1;
        for (var round = 1; !arms.All(a => a.Done); round++)
        {
            foreach (var arm in arms)
            {
                arm.Run(BlockSize);
            }

            if (round * 4 >= nextReport * rounds)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  [{nations,3} nations] timing {arms.Count} arms: round {round}/{rounds}, {Math.Min(round * BlockSize, options.Decisions) * arms.Count:N0} decisions timed, {clock.Elapsed.TotalSeconds:F1} s with warm-up"));
                output.Flush();
                nextReport++;
            }
        }
    }

    private static void PrintTables(RoutingOptions options, List<RoutingResult> results, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("Nodes behind the adverts, and the cost of turning them into adverts (where the node count goes):");
        var adverts = new TextTable(["nations", "nodes", "nodes per nation", "accelerators (free on up nodes)", "models per advert (max)", "nodes into read models s", "all adverts built ms", "per node ns", "one scan of all nodes ms"], 1);
        foreach (var s in results.Select(r => r.Setup))
        {
            adverts.Add(
                N(s.Nations), N(s.Nodes), $"{N(s.NodesPerNation.Min)} to {N(s.NodesPerNation.Max)}", $"{N(s.Accelerators.Total)} ({N(s.Accelerators.FreeUp)})",
                F($"{s.AdvertEntries.Mean:F1} ({s.AdvertEntries.Max})"), F($"{s.LoadReadModels.TotalSeconds:F2}"),
                F($"{s.BuildAdverts.TotalMilliseconds:F2}"), F($"{s.BuildAdverts.TotalMilliseconds * 1e6 / s.Nodes:F0}"), F($"{s.ScanAllNodes.TotalMilliseconds:F3}"));
        }

        adverts.WriteTo(output);
        output.WriteLine($"  all adverts built: InMemoryCatalogueIndex.SummarizeCapacityAsync of every nation (what AdvertBuilder calls), median of {Repeats}; one scan: the per-node router's tight pass over compact rows, median of {Repeats}");

        output.WriteLine();
        output.WriteLine("The job mix (one decision per distinct job; share of candidate verdicts excluded by each rule; a verdict may fail several):");
        var mix = new TextTable(["nations", "nodes", "jobs with a nation chosen", "feasible nations per job", .. s_rules], 1);
        foreach (var s in results.Select(r => r.Setup))
        {
            mix.Add([N(s.Nations), N(s.Nodes), F($"{s.ChosenShare:P1}"), F($"{s.MeanFeasible:F1}"), .. s_rules.Select(rule => F($"{s.ExcludedBy[rule]:P1}"))]);
        }

        mix.WriteTo(output);

        output.WriteLine();
        output.WriteLine($"Decision latency ({N(options.Decisions)} timed decisions per row, one thread; allocation is the deciding thread's; GCs: collections during the timed decisions, and how many decisions one ran in; CPU: the process's processor time per decision (Environment.CpuUsage, all threads, the garbage collector's included; time waiting for a processor is not in it); waited: share of the timing the deciding thread spent preempted, from /proc/thread-self/schedstat):");
        var latency = new TextTable(["nations", "nodes", "router", "p50 µs", "p99 µs", "max µs", "mean µs", "p99 µs without a GC", "CPU p50 µs", "CPU p99 µs", "KB allocated per decision", "GCs gen0/1/2", "decisions with a GC", "waited for a CPU"], 3);
        foreach (var r in results)
        {
            foreach (var (name, l) in new[] { ("Router.Plan on adverts", r.Router), ("per-node scan + Router.Plan", r.PerNode) })
            {
                latency.Add(
                    N(r.Setup.Nations), N(r.Setup.Nodes), name, F($"{l.P50:F1}"), F($"{l.P99:F1}"), F($"{l.Max:F1}"), F($"{l.Mean:F1}"), F($"{l.P99WithoutGc:F1}"), F($"{l.CpuP50:F0}"), F($"{l.CpuP99:F0}"),
                    F($"{l.AllocatedBytesPerDecision / 1024:F1}"), $"{l.Collections.Gen0}/{l.Collections.Gen1}/{l.Collections.Gen2}", F($"{(double)l.WithGc / l.Samples:P1}"),
                    l.WaitingShare is { } w ? F($"{w:P1}") : "n/a");
            }
        }

        latency.WriteTo(output);

        var fewest = options.Nodes.Min();
        var most = options.Nodes.Max();
        if (fewest != most)
        {
            output.WriteLine();
            output.WriteLine($"No growth with node count: Router.Plan at {N(most)} nodes / at {N(fewest)} nodes (an advert lists at most {ReferenceTables.Shipped.Accelerators.Count()} models, whatever the node count):");
            var growth = new TextTable(["nations", $"p50 µs @{N(fewest)}", $"p50 µs @{N(most)}", "p50 ratio", $"p99 µs @{N(fewest)}", $"p99 µs @{N(most)}", "p99 ratio", "CPU p99 ratio"], 1);
            var ratios = new List<string>();
            var worst = 0.0;
            foreach (var group in results.GroupBy(r => r.Setup.Nations))
            {
                var (low, high) = (group.Single(r => r.Setup.Nodes == fewest).Router, group.Single(r => r.Setup.Nodes == most).Router);
                growth.Add(N(group.Key), F($"{low.P50:F1}"), F($"{high.P50:F1}"), F($"{high.P50 / low.P50:F2}x"), F($"{low.P99:F1}"), F($"{high.P99:F1}"), F($"{high.P99 / low.P99:F2}x"), F($"{high.CpuP99 / low.CpuP99:F2}x"));
                ratios.Add(F($"{N(group.Key)} nations {high.P99 / low.P99:F2}x"));
                worst = Math.Max(worst, high.P99 / low.P99);
            }

            growth.WriteTo(output);
            output.WriteLine(F($"p99 at {N(most)} nodes / p99 at {N(fewest)} nodes: {string.Join(", ", ratios)}: {(worst <= NoGrowthLimit ? "no growth" : "GROWS")} (limit {NoGrowthLimit:F2}x)"));
        }

        output.WriteLine();
        output.WriteLine("Router on adverts vs the per-node scan (same decisions; how many times slower the scan is):");
        var baseline = new TextTable(["nations", "nodes", "router p50 µs", "scan p50 µs", "p50 ratio", "router p99 µs", "scan p99 µs", "p99 ratio"], 1);
        foreach (var r in results)
        {
            baseline.Add(N(r.Setup.Nations), N(r.Setup.Nodes), F($"{r.Router.P50:F1}"), F($"{r.PerNode.P50:F1}"), F($"{r.PerNode.P50 / r.Router.P50:F1}x"),
                F($"{r.Router.P99:F1}"), F($"{r.PerNode.P99:F1}"), F($"{r.PerNode.P99 / r.Router.P99:F1}x"));
        }

        baseline.WriteTo(output);

        RoutingDecideReport.WriteTable(output, results);

        var goalNations = options.Nations.Contains(GoalNations) ? GoalNations : options.Nations.Max();
        var goal = results.Where(r => r.Setup.Nations == goalNations).ToList();
        output.WriteLine();
        output.WriteLine(F(
            $"Goal 'p99 under 1 ms at {GoalNations} nations': at {goalNations} nations, {string.Join(", ", goal.Select(r => F($"p99 {r.Router.P99:F1} µs with {N(r.Setup.Nodes)} nodes")))}: {(goal.All(r => r.Router.P99 < GoalMicroseconds) ? "met" : "NOT met")}"));
    }

    private static string Waited(DecisionLatency latency) => latency.Waiting is { } waiting
        ? string.Create(CultureInfo.InvariantCulture, $"; waited for a processor {waiting.TotalMilliseconds:F0} of {latency.Timing.TotalMilliseconds:F0} ms")
        : "";

    private static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
