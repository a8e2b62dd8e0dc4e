using Google.OrTools.LinearSolver;

namespace Federation.Benchmarks.Trace;

/// <summary>
/// The offline optimum's lower bound: the LP relaxation (GLOP) of the min-gCO2e assignment of every job to a
/// nation its residency allows and a start hour in [arrival, deadline - run time], with full knowledge of
/// arrivals and intensities, under each nation's GPUs per hour. Every schedule that meets the deadlines and
/// the residency rules costs at least this (../shared/notes/time-shifting.md (d)).
/// </summary>
internal static class TraceOptimum
{
    public sealed record Bound(double Gco2e, string Status, int Variables, int Rows, double Seconds);

    public static Bound Solve(IReadOnlyList<TraceJob> jobs, TraceWorld world, int hours, TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("OR-Tools' GLOP solver is not available in this runtime");
        solver.SetTimeLimit((long)limit.TotalMilliseconds);
        var objective = solver.Objective();
        objective.SetMinimization();
        var capacity = new Constraint?[world.Nations.Length, hours];
        var variables = 0;
        foreach (var job in jobs)
        {
            var assign = solver.MakeConstraint(1, 1, $"a{job.Id}");
            var last = Math.Max(job.Arrival, job.Deadline - job.Hours);
            for (var n = 0; n < world.Nations.Length; n++)
            {
                if (!job.Allows(n))
                {
                    continue;
                }

                for (var s = job.Arrival; s <= last && s + job.Hours <= hours; s++)
                {
                    var x = solver.MakeNumVar(0, 1, "");
                    variables++;
                    assign.SetCoefficient(x, 1);
                    objective.SetCoefficient(x, world.Gco2e(job, n, s));
                    for (var t = s; t < s + job.Hours; t++)
                    {
                        var row = capacity[n, t] ??= solver.MakeConstraint(double.NegativeInfinity, world.Gpus[n], "");
                        row.SetCoefficient(x, Math.Min(job.Gpus, world.Gpus[n]));
                    }
                }
            }
        }

        var status = solver.Solve();
        var value = status is Solver.ResultStatus.OPTIMAL ? objective.Value() : double.NaN;
        return new Bound(value, status.ToString(), variables, solver.NumConstraints(), clock.Elapsed.TotalSeconds);
    }
}
