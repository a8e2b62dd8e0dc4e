using System.Globalization;

namespace Federation.Benchmarks;

/// <summary>
/// The routing benchmark's figures for <c>Router.Decide</c> (the choice without its record) and for both routers on
/// a busy machine: wall-clock and the deciding thread's own processor time, and the goal of issue 15.
/// </summary>
internal static class RoutingDecideReport
{
    private const double GoalMicroseconds = 100;

    /// <summary>One line per arm, after the <c>router:</c> lines of its configuration.</summary>
    public static void WriteLines(TextWriter output, IEnumerable<(string Name, DecisionLatency Latency)> arms)
    {
        foreach (var (name, l) in arms)
        {
            output.WriteLine(F(
                $"  {name + ":",-48} p50 {l.P50,8:F1} µs, p99 {l.P99,8:F1} µs (thread CPU p50 {l.ThreadCpuP50,6:F1} µs, p99 {l.ThreadCpuP99,6:F1} µs); {l.AllocatedBytesPerDecision,8:F0} B allocated per decision"));
        }
    }

    /// <summary>The table of Decide and the busy arms, and the goal line.</summary>
    public static void WriteTable(TextWriter output, List<RoutingResult> results)
    {
        output.WriteLine();
        output.WriteLine("Router.Decide (the choice of Router.Plan without its decision record) and both routers on a busy machine (one thread per processor burning CPU and allocating); thread CPU: the deciding thread's own processor time per decision (clock_gettime CLOCK_THREAD_CPUTIME_ID), which time preempted and collections other threads caused are not in:");
        var table = new TextTable(["nations", "nodes", "router", "machine", "p50 µs", "p99 µs", "thread CPU p50 µs", "thread CPU p99 µs", "bytes allocated per decision", "decisions with a GC"], 4);
        foreach (var r in results)
        {
            foreach (var (name, machine, l) in new[] { ("Router.Decide", "quiet", r.Decide), ("Router.Decide", "busy", r.DecideBusy), ("Router.Plan", "quiet", r.Router), ("Router.Plan", "busy", r.RouterBusy) })
            {
                table.Add(N(r.Setup.Nations), N(r.Setup.Nodes), name, machine, F($"{l.P50:F1}"), F($"{l.P99:F1}"), F($"{l.ThreadCpuP50:F1}"), F($"{l.ThreadCpuP99:F1}"),
                    F($"{l.AllocatedBytesPerDecision:F0}"), F($"{(double)l.WithGc / l.Samples:P1}"));
            }
        }

        table.WriteTo(output);
        output.WriteLine();
        var met = results.All(r => r.Decide.P99 < GoalMicroseconds && r.DecideBusy.ThreadCpuP99 < GoalMicroseconds);
        output.WriteLine(F(
            $"Goal 'decision p99 under {GoalMicroseconds:F0} µs, wall-clock quiet and thread CPU busy': {string.Join(", ", results.Select(r => F($"{N(r.Setup.Nations)} nations x {N(r.Setup.Nodes)} nodes {r.Decide.P99:F1} µs quiet / {r.DecideBusy.ThreadCpuP99:F1} µs busy")))}: {(met ? "met" : "NOT met")}"));
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
