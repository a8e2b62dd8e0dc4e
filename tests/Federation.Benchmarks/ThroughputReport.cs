using System.Globalization;

namespace Federation.Benchmarks;

/// <summary>What the throughput benchmark prints after its arms: the side-by-side table, the goals and what limits the federation.</summary>
internal static class ThroughputReport
{
    /// <summary>The table: every federation run (admitted, acknowledged), then the baselines, with the ratio of the best federation run to each.</summary>
    public static void PrintTable(TextWriter output, IReadOnlyList<FederationRun> runs, List<ThroughputArm> arms, List<string> skipped)
    {
        output.WriteLine();
        var best = Best(runs).Arm;
        var table = new TextTable(["arm", "jobs (tx)", "seconds", "rate", "unit", "p50 ms", "p99 ms", "latency of", "federation ÷ arm"], leftColumns: 1);
        var federationArms = runs.SelectMany(r => new[] { r.Arm, r.AcknowledgedArm }).ToList();
        foreach (var arm in federationArms.Concat(arms))
        {
            table.Add(
                arm.Name,
                arm.Count.ToString("N0", CultureInfo.InvariantCulture),
                arm.Seconds.ToString("F2", CultureInfo.InvariantCulture),
                arm.Rate.ToString(arm.Rate >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture),
                arm.Unit,
                Ms(arm.P50Ms),
                Ms(arm.P99Ms),
                arm.LatencyOf ?? "-",
                federationArms.Contains(arm) ? "-" : (best.Rate / arm.Rate).ToString("F2", CultureInfo.InvariantCulture) + "x");
        }

        table.WriteTo(output);
        foreach (var line in skipped)
        {
            output.WriteLine($"  {line}");
        }

        if (runs.Count > 1)
        {
            output.WriteLine($"  The ratios and the goals use the faster federation run ({Best(runs).Per}).");
        }
    }

    /// <summary>The <c>Goal '...'</c> lines, verbatim as scripts read them.</summary>
    public static void PrintGoals(TextWriter output, IReadOnlyList<FederationRun> runs, List<ThroughputArm> arms)
    {
        var rate = Best(runs).Arm.Rate;
        output.WriteLine();
        if (arms.FirstOrDefault(a => a.Name.Contains("sequential", StringComparison.Ordinal)) is { } sequential)
        {
            var ratio = rate / sequential.Rate;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Goal 'at least 20 x Slurm's per-call submission rate': {rate:F0} jobs/s / {sequential.Rate:F1} sequential sbatch calls/s = {ratio:F1}x: {(ratio >= 20 ? "met" : "NOT met")}"));
        }
        else
        {
            output.WriteLine("Goal 'at least 20 x Slurm's per-call submission rate': not measured (no Slurm baseline)");
        }

        if (arms.FirstOrDefault(a => a.Unit == "tps") is { } pgbench)
        {
            var ratio = rate / pgbench.Rate;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Goal 'at least 0.7 x pgbench -N's transaction rate': {rate:F0} jobs/s / {pgbench.Rate:F0} tps = {ratio:F2}: {(ratio >= 0.7 ? "met" : "NOT met")}"));
        }
        else
        {
            output.WriteLine("Goal 'at least 0.7 x pgbench -N's transaction rate': not measured (no pgbench baseline)");
        }
    }

    /// <summary>CPU, transactions, rows and WAL per job, latencies and the lost-jobs check of one run.</summary>
    public static void PrintLimits(TextWriter output, FederationRun run)
    {
        var seconds = run.AdmittedAt.TotalSeconds;
        var (cpu0, cpu) = run.Cpu;
        var jobs = (double)Math.Max(run.Admitted, 1);
        var busy = (cpu.MachineBusySeconds - cpu0.MachineBusySeconds) / Math.Max(cpu.MachineTotalSeconds - cpu0.MachineTotalSeconds, 1e-9);
        output.WriteLine();
        output.WriteLine($"What limits it, {run.Per} (measured over the federation's timed window):");
        var routing = run.RoutingThreadCpu.TotalSeconds;
        var perProcess = CpuPerJob(run);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  CPU         machine {busy * 100:F0} % busy of {Environment.ProcessorCount} processors for {seconds:F1} s; CPU time per job {perProcess.Sum(p => p.Ms):F2} ms in all:"));
        output.WriteLine("              " + string.Join(", ", perProcess.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Ms:F2} ms"))));
        output.WriteLine("              (user+system time from /proc of each silo process, the client, and the PostgreSQL backends serving each nation's database)");
        var observer = Math.Max(cpu.ObserverSeconds - cpu0.ObserverSeconds, 0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"              the benchmark's own queries (progress counts of FR's execution rows) used {observer:F2} s of PostgreSQL, {observer * 1000 / jobs:F2} ms per job, left out of the nations' figures and the sum"));
        if (routing > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"              the client's routing thread (Router.Decide timed during the window) used {routing:F2} s more, {routing * 1000 / jobs:F2} ms per job, left out of the client's figure and the sum"));
        }
        var commits = run.Commits.End.Keys.Select(k => (Nation: k, Delta: run.Commits.End[k] - run.Commits.Start.GetValueOrDefault(k))).OrderBy(c => c.Nation, StringComparer.Ordinal).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  commits     per job (pg_stat_database xact_commit, read-only transactions included): {commits.Sum(c => c.Delta) / jobs:F2} in all; {string.Join(", ", commits.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Nation} {c.Delta / jobs:F2}")))}"));
        foreach (var nation in run.RowWrites.End.Keys.Order(StringComparer.Ordinal))
        {
            var start = run.RowWrites.Start.GetValueOrDefault(nation) ?? [];
            var tables = run.RowWrites.End[nation].Select(t => (Table: t.Key, PerJob: (t.Value - start.GetValueOrDefault(t.Key)) / jobs)).Where(t => t.PerJob >= 0.005).OrderByDescending(t => t.PerJob).ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  rows {nation,-6} per job written (inserted + updated + deleted, pg_stat_user_tables): {(tables.Count == 0 ? "none" : string.Join(", ", tables.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Table} {t.PerJob:F2}"))))}"));
        }

        output.WriteLine(run.GroupCommit.Count == 0
            ? "  group commit not measured: the silos serve no metrics (--telemetry off)"
            : "  group commit jobs grain storage, timed window (the silos' metrics; the largest transaction so far from their logs, once logged): "
            + string.Join("; ", run.GroupCommit.Where(g => g.Value.Transactions > 0).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => string.Create(CultureInfo.InvariantCulture,
                $"{g.Key} {g.Value.Writes:N0} writes in {g.Value.Transactions:N0} transactions ({(double)g.Value.Writes / g.Value.Transactions:F1} per transaction, {g.Value.Writes / jobs:F2} writes and {g.Value.Transactions / jobs:F3} transactions per job{(g.Value.Largest > 0 ? $", largest so far {g.Value.Largest}" : "")})"))));
        PrintBatches(output, run, jobs);
        var (wal0, wal1) = run.Wal;
        if (wal1.Syncs > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  WAL         {(wal1.Bytes - wal0.Bytes) / jobs / 1024:F1} KiB of WAL per job (pg_current_wal_lsn, server-wide); {wal1.Syncs - wal0.Syncs:N0} WAL flushes (fsync), {(wal1.Syncs - wal0.Syncs) / jobs:F2} per job"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  latency     submit -> admitted (DE's submitted and admitted events): low load ({run.LowLoadLatency.Count:N0} jobs one at a time) p50 {JobLatency.Percentile(run.LowLoadLatency, 0.5):F1} ms, p99 {JobLatency.Percentile(run.LowLoadLatency, 0.99):F1} ms;"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"              at saturation ({run.SaturationLatency.Count:N0} of the timed jobs, evenly spaced) p50 {JobLatency.Percentile(run.SaturationLatency, 0.5):F0} ms, p99 {JobLatency.Percentile(run.SaturationLatency, 0.99):F0} ms"));
        output.WriteLine(run.Lost.Line());
    }

    /// <summary>Messages per HTTPS request of the batched federation transport, per direction, over the timed window.</summary>
    private static void PrintBatches(TextWriter output, FederationRun run, double jobs)
    {
        var (start, end) = run.Batches;
        var directions = run.Silos
            .SelectMany(s => end.GetValueOrDefault(s.Label, []).Select(p => (From: s.Nation, To: p.Key, Count: p.Value.Since(start.GetValueOrDefault(s.Label, []).GetValueOrDefault(p.Key)))))
            .GroupBy(d => (d.From, d.To))
            .Select(g => (g.Key.From, g.Key.To, Count: new BatchCount(g.Sum(d => d.Count.Messages), g.Sum(d => d.Count.Requests), g.Max(d => d.Count.Largest))))
            .Where(d => d.Count.Requests > 0)
            .OrderBy(d => d.From, StringComparer.Ordinal).ThenBy(d => d.To, StringComparer.Ordinal)
            .ToList();
        output.WriteLine(directions.Count == 0
            ? run.GroupCommit.Count == 0 ? "  batches     not measured: the silos serve no metrics (--telemetry off)" : "  batches     none sent in the timed window"
            : "  batches     messages per HTTPS request of the batched federation transport, timed window (the silos' metrics; the largest batch so far from their logs, once logged): "
                + string.Join("; ", directions.Select(d => string.Create(CultureInfo.InvariantCulture,
                    $"{d.From} -> {d.To} {d.Count.Messages:N0} messages in {d.Count.Requests:N0} requests ({d.Count.PerRequest:F1} per request{(d.Count.Largest > 0 ? $", largest so far {d.Count.Largest}" : "")}; {d.Count.Messages / jobs:F2} messages and {d.Count.Requests / jobs:F3} requests per job)"))));
    }

    /// <summary>
    /// What the transparency log costs, for each silo count measured with the log off and on
    /// (<c>--transparency both</c>): admitted jobs/s, CPU per job and low-load latency side by side.
    /// </summary>
    public static void PrintLogCost(TextWriter output, IReadOnlyList<FederationRun> runs)
    {
        var pairs = runs.GroupBy(r => (r.SilosPerNation, r.Telemetry))
            .Select(g => (Off: g.FirstOrDefault(r => !r.TransparencyLog), On: g.FirstOrDefault(r => r.TransparencyLog)))
            .Where(p => p.Off is not null && p.On is not null)
            .ToList();
        foreach (var (off, on) in pairs)
        {
            var cpuOff = CpuPerJob(off!).Sum(p => p.Ms);
            var cpuOn = CpuPerJob(on!).Sum(p => p.Ms);
            output.WriteLine();
            output.WriteLine($"What the transparency log costs, {on!.Per} (log off, then on, in this run):");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  throughput  {off!.Arm.Rate:F1} jobs/s off, {on.Arm.Rate:F1} on: on ÷ off {on.Arm.Rate / off.Arm.Rate:F2} ({((on.Arm.Rate / off.Arm.Rate) - 1) * 100:+0;-0} % jobs/s with the log)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  CPU per job {cpuOff:F2} ms off, {cpuOn:F2} ms on: {cpuOn - cpuOff:+0.00;-0.00} ms ({string.Join(", ", CpuPerJob(on).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Ms - CpuPerJob(off).FirstOrDefault(q => q.Name == p.Name).Ms:+0.00;-0.00}")))})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  low load    submit -> admitted p50 {JobLatency.Percentile(off.LowLoadLatency, 0.5):F1} ms off, {JobLatency.Percentile(on.LowLoadLatency, 0.5):F1} ms on; p99 {JobLatency.Percentile(off.LowLoadLatency, 0.99):F1} ms off, {JobLatency.Percentile(on.LowLoadLatency, 0.99):F1} ms on"));
        }
    }

    /// <summary>
    /// What telemetry costs, for each silo count and log setting measured with telemetry off and on
    /// (<c>--telemetry both</c>): admitted jobs/s, CPU per job and low-load latency side by side.
    /// </summary>
    public static void PrintTelemetryCost(TextWriter output, IReadOnlyList<FederationRun> runs)
    {
        var pairs = runs.Where(r => r.Telemetry is not null).GroupBy(r => (r.SilosPerNation, r.TransparencyLog))
            .Select(g => (Off: g.FirstOrDefault(r => r.Telemetry is false), On: g.FirstOrDefault(r => r.Telemetry is true)))
            .Where(p => p.Off is not null && p.On is not null)
            .ToList();
        foreach (var (off, on) in pairs)
        {
            var cpuOff = CpuPerJob(off!).Sum(p => p.Ms);
            var cpuOn = CpuPerJob(on!).Sum(p => p.Ms);
            output.WriteLine();
            output.WriteLine($"What telemetry costs, {on!.Per} (telemetry off, then on, in this run; on: metrics and every span to a span file):");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  throughput  {off!.Arm.Rate:F1} jobs/s off, {on.Arm.Rate:F1} on: on ÷ off {on.Arm.Rate / off.Arm.Rate:F2} ({((on.Arm.Rate / off.Arm.Rate) - 1) * 100:+0;-0} % jobs/s with telemetry)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  CPU per job {cpuOff:F2} ms off, {cpuOn:F2} ms on: on ÷ off {cpuOn / cpuOff:F2}, {cpuOn - cpuOff:+0.00;-0.00} ms ({string.Join(", ", CpuPerJob(on).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Ms - CpuPerJob(off).FirstOrDefault(q => q.Name == p.Name).Ms:+0.00;-0.00}")))})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  low load    submit -> admitted p50 {JobLatency.Percentile(off.LowLoadLatency, 0.5):F1} ms off, {JobLatency.Percentile(on.LowLoadLatency, 0.5):F1} ms on; p99 {JobLatency.Percentile(off.LowLoadLatency, 0.99):F1} ms off, {JobLatency.Percentile(on.LowLoadLatency, 0.99):F1} ms on"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  spans       {on.SpanLines:N0} spans written by the nations' span files over the whole run ({on.SpanLines / (double)Math.Max(on.Options.Jobs + on.Options.WarmUp + on.Options.LowLoad, 1):F1} per job)"));
        }
    }

    /// <summary>CPU milliseconds per admitted job in each silo process, the client (its routing thread left out) and each nation's PostgreSQL backends, over the timed window.</summary>
    private static List<(string Name, double Ms)> CpuPerJob(FederationRun run)
    {
        var (cpu0, cpu) = run.Cpu;
        var jobs = (double)Math.Max(run.Admitted, 1);
        var routing = run.RoutingThreadCpu.TotalSeconds;
        return cpu.ProcessSeconds.Keys.Select(k => (Name: k, Ms: (cpu.ProcessSeconds[k] - cpu0.ProcessSeconds.GetValueOrDefault(k) - (k == "client" ? routing : 0)) * 1000 / jobs))
            .Concat(cpu.PostgresByDatabase.Keys.Order(StringComparer.Ordinal).Select(k => (Name: $"PostgreSQL {k}", Ms: (cpu.PostgresByDatabase[k] - cpu0.PostgresByDatabase.GetValueOrDefault(k)) * 1000 / jobs)))
            .ToList();
    }

    /// <summary>The run with the highest admitted rate among those with the transparency log on (the product as shipped); among all when none had it on.</summary>
    public static FederationRun Best(IReadOnlyList<FederationRun> runs) =>
        (runs.Any(r => r.TransparencyLog) ? runs.Where(r => r.TransparencyLog) : runs).MaxBy(r => r.Arm.Rate)!;

    private static string Ms(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString(v >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture) : "-";
}
