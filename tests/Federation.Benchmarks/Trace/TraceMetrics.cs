namespace Federation.Benchmarks.Trace;

/// <summary>What one policy's schedule cost and how it served the jobs.</summary>
internal sealed record TraceMetrics(
    string Policy, double Gco2e, double Kwh, long BytesMoved, double MeanWaitHours, double P95WaitHours,
    int DeadlineMisses, int ResidencyViolations, double Jain, double? Seconds)
{
    /// <summary>
    /// The metrics of <paramref name="schedule"/>. Jain's index is over consortia (the student tier
    /// included) of x = GPU-hours finished by their deadlines / GPU-hours asked: the consortium's demand
    /// stands in for its entitled share (the fair-share model is not part of this replay).
    /// </summary>
    public static TraceMetrics Of(string policy, IReadOnlyList<TraceJob> jobs, TraceSchedule schedule, double seconds)
    {
        var world = schedule.World;
        double gco2e = 0, kwh = 0;
        long bytes = 0;
        var waits = new double[jobs.Count];
        int misses = 0, violations = 0;
        var asked = new double[world.Consortia.Length];
        var served = new double[world.Consortia.Length];
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            var (n, start) = schedule.Starts[job.Id];
            gco2e += world.Gco2e(job, n, start);
            kwh += (TraceWorld.KwhPerHour(job) * job.Hours) + TraceWorld.TransferKwh(job, n);
            bytes += n == job.DataHome ? 0 : job.DataBytes;
            waits[i] = start - job.Arrival;
            var late = start + job.Hours > job.Deadline;
            misses += late ? 1 : 0;
            violations += job.Allows(n) ? 0 : 1;
            asked[job.Consortium] += job.Gpus * job.Hours;
            served[job.Consortium] += late ? 0 : job.Gpus * job.Hours;
        }

        Array.Sort(waits);
        var shares = asked.Select((a, c) => a > 0 ? served[c] / a : 1).ToArray();
        var jain = shares.Sum() * shares.Sum() / (shares.Length * shares.Sum(x => x * x));
        return new TraceMetrics(policy, gco2e, kwh, bytes, waits.Average(), waits[(int)Math.Ceiling(0.95 * waits.Length) - 1], misses, violations, jain, seconds);
    }

    /// <summary>Replays <paramref name="jobs"/> in arrival order through <paramref name="policy"/>.</summary>
    public static TraceMetrics Replay(ITracePolicy policy, IReadOnlyList<TraceJob> jobs, TraceWorld world, int hours)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var schedule = new TraceSchedule(world, hours);
        foreach (var job in jobs)
        {
            var (n, notBefore) = policy.Place(job, schedule);
            schedule.Place(job, n, Math.Max(job.Arrival, notBefore));
        }

        return Of(policy.Name, jobs, schedule, clock.Elapsed.TotalSeconds);
    }
}
