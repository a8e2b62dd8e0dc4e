using System.Globalization;

namespace Federation.Benchmarks.Trace;

/// <summary>The trace benchmark's table and its <c>Goal '...'</c> lines.</summary>
internal static class TraceReport
{
    public static void Write(TextWriter output, IReadOnlyList<TraceMetrics> results, TraceOptimum.Bound bound)
    {
        output.WriteLine("| policy | tCO2e | MWh | TB moved | mean wait h | p95 wait h | deadline misses | residency violations | Jain | x optimum | replay s |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            output.WriteLine(F($"| {r.Policy} | {r.Gco2e / 1e6:F3} | {r.Kwh / 1e3:F2} | {r.BytesMoved / 1e12:F2} | {r.MeanWaitHours:F2} | {r.P95WaitHours:F0} | {r.DeadlineMisses} | {r.ResidencyViolations} | {r.Jain:F3} | {r.Gco2e / bound.Gco2e:F3} | {r.Seconds:F1} |"));
        }

        output.WriteLine(F($"| offline optimum, LP lower bound (GLOP {bound.Status}) | {bound.Gco2e / 1e6:F3} | - | - | - | - | 0 | 0 | - | 1.000 | {bound.Seconds:F1} |"));
        output.WriteLine(F($"  LP: {bound.Variables:N0} variables, {bound.Rows:N0} rows"));
        output.WriteLine();

        var router = results.Single(r => r.Policy == "federation router");
        var submitted = results.Single(r => r.Policy == "run where submitted");
        var ratio = router.Gco2e / bound.Gco2e;
        var below = 1 - (router.Gco2e / submitted.Gco2e);
        output.WriteLine(F($"Goal 'emissions within 5 % of the optimum': {router.Gco2e / 1e6:F3} t / LP bound {bound.Gco2e / 1e6:F3} t = {ratio:F3}: {(ratio <= 1.05 ? "met" : "NOT met")}"));
        output.WriteLine(F($"Goal 'at least 50 % below run-where-submitted': {router.Gco2e / 1e6:F3} t vs {submitted.Gco2e / 1e6:F3} t = {below:P1} below: {(below >= 0.5 ? "met" : "NOT met")}"));
        output.WriteLine(F($"Goal 'zero residency violations': {router.ResidencyViolations}: {(router.ResidencyViolations == 0 ? "met" : "NOT met")}"));
        output.WriteLine(F($"Goal 'Jain's index >= 0.95': {router.Jain:F3}: {(router.Jain >= 0.95 ? "met" : "NOT met")}"));
        output.WriteLine(F($"Goal 'no deadline missed': {router.DeadlineMisses} missed: {(router.DeadlineMisses == 0 ? "met" : "NOT met")}"));
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
