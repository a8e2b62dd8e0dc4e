using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Testing;
using Npgsql;

namespace Federation.Benchmarks;

/// <summary>
/// Job throughput (issue 7, part 8): jobs per second from the first submission in DE (through
/// <c>POST /api/v1/jobs:batch</c>) to "admission committed in FR" for the last job, in a 3-nation
/// local federation on PostgreSQL; the routing decision latency; and, in the same run, Slurm's
/// submission on this machine (sequential, parallel, array) and PostgreSQL's own ceiling
/// (<c>pgbench -N</c>), with the ratio of the federation to each.
/// </summary>
internal static class ThroughputBenchmark
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_groupCommitReportDelay = TimeSpan.FromSeconds(11);

    /// <summary>Parses the arguments after <c>throughput</c>, runs every arm and prints the table.</summary>
    public static async Task<int> MainAsync(string[] args)
    {
        var options = ThroughputOptions.Parse(args, out var error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync((error is { Length: > 0 } ? error + "\n" : "") + ThroughputOptions.Usage);
            return error is { Length: > 0 } ? 2 : 0;
        }

        var output = Console.Out;
        var total = Stopwatch.StartNew();
        output.WriteLine("Job throughput: federation vs Slurm's submission vs PostgreSQL's ceiling");
        output.WriteLine($"  command     {options.Command()}");
        await MachineInfo.PrintAsync(output);
        await PrintPostgresAsync(output);
        await MachineInfo.PrintLoadAverageAsync(output, "at the start");

        var arms = new List<ThroughputArm>();
        var skipped = new List<string>();
        output.WriteLine();
        output.WriteLine("1. Slurm's submission (real slurmctld and slurmd on this machine)");
        if (options.SkipSlurm)
        {
            skipped.Add("Slurm: skipped (--no-slurm)");
        }
        else
        {
            var (slurm, why) = await SlurmBaseline.RunAsync(options, output);
            arms.AddRange(slurm);
            if (why is not null)
            {
                skipped.Add($"Slurm: not measured: {why}");
                output.WriteLine($"  skipped     {why}");
            }
        }

        output.WriteLine();
        output.WriteLine("2. PostgreSQL's ceiling");
        var (pgbench, pgbenchSkipped) = await PgbenchBaseline.RunAsync(options, output);
        if (pgbench is not null)
        {
            arms.Add(pgbench);
        }
        else
        {
            skipped.Add($"pgbench: not measured: {pgbenchSkipped}");
            output.WriteLine($"  skipped     {pgbenchSkipped}");
        }

        output.WriteLine();
        output.WriteLine($"3. The federation: {options.Jobs:N0} jobs submitted in DE for FR, {options.Batch} per POST /api/v1/jobs:batch, {options.InFlight} in flight");
        var federation = await RunFederationAsync(options, output);
        await MachineInfo.PrintLoadAverageAsync(output, "at the end");

        PrintTable(output, federation, arms, skipped);
        PrintGoals(output, federation, arms);
        PrintLimits(output, federation);
        output.WriteLine();
        output.WriteLine($"Reproduce: {options.Command()}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Total run time {total.Elapsed.TotalMinutes:F1} min"));
        return 0;
    }

    private static async Task<FederationRun> RunFederationAsync(ThroughputOptions options, TextWriter output)
    {
        var ct = CancellationToken.None;
        var start = Stopwatch.StartNew();
        await using var federation = await ThroughputFederation.StartAsync(options.Jobs, options.TieredCompilation, output, ct);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  started     3 nations on PostgreSQL in {start.Elapsed.TotalSeconds:F1} s (databases {federation.Prefix}_*); {(options.TieredCompilation ? "tiered compilation on" : "DOTNET_TieredCompilation=0")}; silo arguments: {string.Join(' ', ThroughputFederation.SiloArguments)}"));
        var de = federation.Client("DE");
        await using var frDatabase = NpgsqlDataSource.Create(federation.Database("FR"));
        await using var deDatabase = NpgsqlDataSource.Create(federation.Database("DE"));

        // Warm-up: the same path end to end, untimed (JIT, connections, grain directory), then until
        // the silos' background (tiered) compilation has settled.
        var warm = Stopwatch.StartNew();
        var warmJobs = options.WarmUp;
        foreach (var chunk in Enumerable.Range(1, warmJobs).Chunk(options.Batch))
        {
            await SubmitAsync(de, [.. chunk.Select(i => Job($"warm-{i:D6}"))], ct);
        }

        await WaitAdmittedAsync(frDatabase, "warm-", warmJobs, TimeSpan.FromSeconds(120) + TimeSpan.FromSeconds(warmJobs / 10.0), federation);
        var processes = federation.State.Nations.ToDictionary(n => n.Code, n => n.Pid, StringComparer.Ordinal);
        var jit = await JitSettledAsync(processes.Values, TimeSpan.FromSeconds(60));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  warm-up     {warmJobs:N0} jobs through the same path, untimed, then {jit}: {warm.Elapsed.TotalSeconds:F1} s"));
        processes["client"] = Environment.ProcessId;
        var wal0 = await WalAsync(frDatabase);
        var commits0 = await CommitsAsync(frDatabase, federation.Prefix);
        var cpu0 = CpuSample.Take(processes, federation.Prefix);
        output.WriteLine("  progress    (admitted = rows of FR's execution grain state committed in FR's database)");

        var acknowledged = 0;
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        var acknowledgedAt = TimeSpan.Zero;
        var gate = new SemaphoreSlim(options.InFlight);
        var sends = new List<Task>();
        var observer = ObserveAsync(frDatabase, options.Jobs, clock, () => Volatile.Read(ref acknowledged), output, TimeSpan.FromSeconds(120) + TimeSpan.FromSeconds(options.Jobs / 25.0));
        foreach (var chunk in Enumerable.Range(1, options.Jobs).Chunk(options.Batch))
        {
            await gate.WaitAsync(ct);
            sends.Add(Task.Run(async () =>
            {
                try
                {
                    var answer = await SubmitAsync(de, [.. chunk.Select(i => Job($"tp-{i:D7}"))], ct);
                    var created = answer["created"]!.GetValue<int>();
                    if (created != chunk.Length)
                    {
                        lock (failures)
                        {
                            failures.Add($"a batch of {chunk.Length} created {created}: {answer["jobs"]!.AsArray().FirstOrDefault(e => e!["outcome"]!.GetValue<string>() != "created")?.ToJsonString()}");
                        }
                    }

                    Interlocked.Add(ref acknowledged, created);
                }
                finally
                {
                    gate.Release();
                }
            }, ct));
        }

        await Task.WhenAll(sends);
        acknowledgedAt = clock.Elapsed;
        var (admitted, admittedAt) = await observer;
        var cpu1 = CpuSample.Take(processes, federation.Prefix);

        // Statistics reach pg_stat_database within a second of a backend going idle.
        await Task.Delay(1500, ct);
        var commits1 = await CommitsAsync(frDatabase, federation.Prefix);
        var wal1 = await WalAsync(frDatabase);
        // The jobs storage logs its writes and transactions every 10 s: wait for the report that covers the end.
        await Task.Delay(s_groupCommitReportDelay, ct);
        var groupCommit = federation.State.Nations.ToDictionary(n => n.Code, n => GroupCommitOf(federation.Log(n.Code)), StringComparer.Ordinal);
        var decision = await DecisionLatencyAsync(deDatabase);
        var states = await StatesAsync(deDatabase);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  done        acknowledged by DE: {acknowledged:N0} in {acknowledgedAt.TotalSeconds:F2} s; admission committed in FR: {admitted:N0} in {admittedAt.TotalSeconds:F2} s"));
        output.WriteLine($"  DE states   {string.Join(", ", states.Select(s => $"{s.Key} {s.Value:N0}"))} (DE's job read model, after the run)");
        foreach (var failure in failures.Take(5))
        {
            output.WriteLine($"  NOTE        {failure}");
        }

        return new FederationRun(options, acknowledged, acknowledgedAt, admitted, admittedAt, decision, cpu0, cpu1, commits0, commits1, wal0, wal1, groupCommit);
    }

    private static async Task<(int Admitted, TimeSpan At)> ObserveAsync(NpgsqlDataSource fr, int jobs, Stopwatch clock, Func<int> acknowledged, TextWriter output, TimeSpan timeout)
    {
        var admitted = 0;
        var at = TimeSpan.Zero;
        var nextLine = TimeSpan.FromSeconds(1);
        var (lastCount, lastTime) = (0, TimeSpan.Zero);
        using var ticks = new PeriodicTimer(s_poll);
        while (clock.Elapsed < timeout)
        {
            var count = await CountAdmittedAsync(fr, "tp-");
            var now = clock.Elapsed;
            if (count > admitted)
            {
                (admitted, at) = (count, now);
            }

            if (now >= nextLine || admitted >= jobs)
            {
                var recent = (admitted - lastCount) / Math.Max((now - lastTime).TotalSeconds, 1e-9);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {now.TotalSeconds,6:F1} s   acknowledged by DE {acknowledged(),7:N0}/{jobs:N0}   admitted in FR {admitted,7:N0}/{jobs:N0}   {recent,6:F0}/s since the last line"));
                output.Flush();
                (lastCount, lastTime) = (admitted, now);
                nextLine = now + TimeSpan.FromSeconds(1);
            }

            if (admitted >= jobs)
            {
                break;
            }

            await ticks.WaitForNextTickAsync();
        }

        return (admitted, at);
    }

    private static async Task<JsonNode> SubmitAsync(HttpClient client, JsonObject[] jobs, CancellationToken ct)
    {
        using var response = await client.PostAsJsonAsync("api/v1/jobs:batch", new JsonObject { ["jobs"] = new JsonArray(jobs) }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        return response.IsSuccessStatusCode ? JsonNode.Parse(body)! : throw new InvalidOperationException($"POST /api/v1/jobs:batch: HTTP {(int)response.StatusCode}: {body}");
    }

    private static async Task WaitAdmittedAsync(NpgsqlDataSource fr, string prefix, int count, TimeSpan timeout, ThroughputFederation federation)
    {
        var clock = Stopwatch.StartNew();
        while (await CountAdmittedAsync(fr, prefix) < count)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"the warm-up jobs were not admitted in FR within {timeout.TotalSeconds:0} s{federation.Diagnostics()}");
            }

            await Task.Delay(s_poll);
        }
    }

    /// <summary>Waits until the silos' tiered-compilation threads used under 2 % of a core for 2 s in a row (or the timeout).</summary>
    private static async Task<string> JitSettledAsync(IEnumerable<int> pids, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var quiet = 0;
        var last = CpuSample.JitSeconds(pids);
        while (clock.Elapsed < timeout)
        {
            await Task.Delay(1000);
            var now = CpuSample.JitSeconds(pids);
            quiet = now - last < 0.02 ? quiet + 1 : 0;
            last = now;
            if (quiet >= 2)
            {
                return string.Create(CultureInfo.InvariantCulture, $"until tiered compilation settled ({last:F1} s of JIT thread CPU in the silos so far)");
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalSeconds:0} s (tiered compilation still busy: {last:F1} s of JIT thread CPU so far)");
    }

    /// <summary>A job on FR's home-only dataset: one A100 for an (estimated) hour, which the silos' time scale makes a real hour.</summary>
    private static JsonObject Job(string id) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "bench@example.org", ["consortium"] = "throughput" },
        ["inputs"] = new JsonArray(ThroughputFederation.Dataset),
        ["purpose"] = new JsonObject { ["use"] = "HMB" },
        ["accelerators"] = new JsonObject { ["count"] = 1 },
        ["work"] = new JsonObject { ["acceleratorHours"] = 1, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 1440,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
    };

    // The execution grain writes its state (with the admission) before it answers the offer: a row
    // here is an admission committed in FR (a job offered again under a later epoch counts once).
    // One count per poll over the (service, state name) index, nothing else touched.
    private static async Task<int> CountAdmittedAsync(NpgsqlDataSource fr, string prefix)
    {
        await using var command = fr.CreateCommand(
            "SELECT count(DISTINCT split_part(grainidextensionstring, '/', 2)) FROM orleansstorage WHERE serviceid = 'federation-fr' AND graintypestring = 'execution' AND grainidextensionstring LIKE @prefix");
        command.Parameters.AddWithValue("prefix", $"exec-DE/{prefix}%");
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<Dictionary<string, long>> CommitsAsync(NpgsqlDataSource any, string prefix)
    {
        await using var command = any.CreateCommand("SELECT datname, xact_commit FROM pg_stat_database WHERE datname LIKE @prefix");
        command.Parameters.AddWithValue("prefix", prefix + "\\_%");
        var commits = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            commits[reader.GetString(0)[(prefix.Length + 1)..].ToUpperInvariant()] = reader.GetInt64(1);
        }

        return commits;
    }

    private static async Task<(long Syncs, long Bytes)> WalAsync(NpgsqlDataSource any)
    {
        await using var command = any.CreateCommand("SELECT wal_sync, (SELECT pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint FROM pg_stat_wal");
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            return await reader.ReadAsync() ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, 0);
        }
        catch (PostgresException)
        {
            return (0, 0);
        }
    }

    private static async Task<(long Count, double P50, double P99)> DecisionLatencyAsync(NpgsqlDataSource de)
    {
        await using var command = de.CreateCommand("""
            SELECT count(*), coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), 'NaN'), coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), 'NaN')
            FROM (SELECT extract(epoch FROM ((document->'decision'->>'decidedAt')::timestamptz - submitted_at)) * 1000 AS ms
                  FROM job WHERE id LIKE 'DE/tp-%' AND document ? 'decision') d
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetDouble(1), reader.GetDouble(2));
    }

    private static async Task<SortedDictionary<string, long>> StatesAsync(NpgsqlDataSource de)
    {
        await using var command = de.CreateCommand("SELECT state, count(*) FROM job WHERE id LIKE 'DE/tp-%' GROUP BY state");
        var states = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            states[reader.GetString(0)] = reader.GetInt64(1);
        }

        return states;
    }

    private static async Task PrintPostgresAsync(TextWriter output)
    {
        var server = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ServerConnectionString) { Database = "postgres", Pooling = false };
        await using var source = NpgsqlDataSource.Create(server.ConnectionString);
        await using var command = source.CreateCommand("SELECT version(), current_setting('shared_buffers'), current_setting('synchronous_commit'), current_setting('fsync'), current_setting('wal_sync_method'), current_setting('commit_delay')");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        output.WriteLine($"  postgresql  {reader.GetString(0).Split(" on ")[0]}; shared_buffers {reader.GetString(1)}, synchronous_commit {reader.GetString(2)}, fsync {reader.GetString(3)} ({reader.GetString(4)}), commit_delay {reader.GetString(5)}; same host");
    }

    private static void PrintTable(TextWriter output, FederationRun run, List<ThroughputArm> arms, List<string> skipped)
    {
        output.WriteLine();
        var federation = run.Arm;
        var table = new TextTable(["arm", "jobs (tx)", "seconds", "rate", "unit", "p50 ms", "p99 ms", "latency of", "federation ÷ arm"], leftColumns: 1);
        foreach (var arm in new[] { federation, run.AcknowledgedArm }.Concat(arms))
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
                ReferenceEquals(arm, federation) || ReferenceEquals(arm, run.AcknowledgedArm) ? "-" : (federation.Rate / arm.Rate).ToString("F2", CultureInfo.InvariantCulture) + "x");
        }

        table.WriteTo(output);
        foreach (var line in skipped)
        {
            output.WriteLine($"  {line}");
        }
    }

    private static void PrintGoals(TextWriter output, FederationRun run, List<ThroughputArm> arms)
    {
        var rate = run.Arm.Rate;
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

    private static void PrintLimits(TextWriter output, FederationRun run)
    {
        var seconds = run.AdmittedAt.TotalSeconds;
        var cpu = run.Cpu1;
        var busy = (cpu.MachineBusySeconds - run.Cpu0.MachineBusySeconds) / Math.Max(cpu.MachineTotalSeconds - run.Cpu0.MachineTotalSeconds, 1e-9);
        output.WriteLine();
        output.WriteLine("What limits it (measured over the federation's timed window):");
        var perJob = string.Join(", ", cpu.ProcessSeconds.Keys.Select(k => string.Create(CultureInfo.InvariantCulture,
            $"{k} {(cpu.ProcessSeconds[k] - run.Cpu0.ProcessSeconds[k]) * 1000 / Math.Max(run.Admitted, 1):F2} ms")));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  CPU         machine {busy * 100:F0} % busy of {Environment.ProcessorCount} processors for {seconds:F1} s; CPU time per job: {perJob}, PostgreSQL {(cpu.PostgresSeconds - run.Cpu0.PostgresSeconds) * 1000 / Math.Max(run.Admitted, 1):F2} ms"));
        output.WriteLine("              (user+system time of the silo and client processes, and of the PostgreSQL backends serving the three nations' databases)");
        var commits = run.Commits1.Keys.Select(k => (Nation: k, Delta: run.Commits1[k] - run.Commits0.GetValueOrDefault(k))).OrderBy(c => c.Nation, StringComparer.Ordinal).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  commits     per job (PostgreSQL transactions, read-only ones included): {string.Join(", ", commits.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Nation} {c.Delta / (double)Math.Max(run.Admitted, 1):F2}")))}"));
        output.WriteLine("  group commit jobs grain storage over the whole run (warm-up included), from the silos' logs: "
            + string.Join("; ", run.GroupCommit.Where(g => g.Value.Transactions > 0).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => string.Create(CultureInfo.InvariantCulture,
                $"{g.Key} {g.Value.Writes:N0} writes in {g.Value.Transactions:N0} transactions ({(double)g.Value.Writes / g.Value.Transactions:F1} per transaction, largest {g.Value.Largest})"))));
        if (run.Wal1.Syncs > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  WAL         {run.Wal1.Syncs - run.Wal0.Syncs:N0} WAL flushes (fsync) server-wide, {(run.Wal1.Syncs - run.Wal0.Syncs) / (double)Math.Max(run.Admitted, 1):F2} per job; {(run.Wal1.Bytes - run.Wal0.Bytes) / (double)Math.Max(run.Admitted, 1) / 1024:F1} KiB of WAL per job"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  decision    {run.Decision.Count:N0} decisions: submit committed in DE -> routing decision made, p50 {run.Decision.P50:F1} ms, p99 {run.Decision.P99:F1} ms (queueing included; Router.Plan alone is microseconds, see the routing benchmark)"));
        output.WriteLine("  per job     DE: validation plan (once per batch and input set), Job grain write (group commit), reminder row, read-model upsert (group commit),");
        output.WriteLine("              a second plan in the grain (reads the input's terms from FR over HTTPS), offered write, the offer (one HTTPS request to FR),");
        output.WriteLine("              admitted write; FR: admission (capacity and foreign-share reads), execution write (group commit), reminder row, then the run's");
        output.WriteLine("              allocation (GPU node grain write) and the running report back to DE (HTTPS) while later jobs are still being admitted.");
    }

    /// <summary>The sums of the jobs storage's statistics lines in a silo log (writes, transactions, largest transaction).</summary>
    private static (long Writes, long Transactions, long Largest) GroupCommitOf(string log)
    {
        var (writes, transactions, largest) = (0L, 0L, 0L);
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(log, @"Grain storage jobs: (\d+) writes in (\d+) transactions \([0-9.]+ per transaction; largest so far (\d+)"))
        {
            writes += long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            transactions += long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            largest = Math.Max(largest, long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
        }

        return (writes, transactions, largest);
    }

    private static string Ms(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString(v >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture) : "-";

    private sealed record FederationRun(
        ThroughputOptions Options,
        int Acknowledged,
        TimeSpan AcknowledgedAt,
        int Admitted,
        TimeSpan AdmittedAt,
        (long Count, double P50, double P99) Decision,
        CpuSample Cpu0,
        CpuSample Cpu1,
        Dictionary<string, long> Commits0,
        Dictionary<string, long> Commits1,
        (long Syncs, long Bytes) Wal0,
        (long Syncs, long Bytes) Wal1,
        Dictionary<string, (long Writes, long Transactions, long Largest)> GroupCommit)
    {
        public ThroughputArm Arm => new(
            $"Federation: submit in DE (batch API) -> admission committed in FR{(Admitted < Options.Jobs ? $" (ONLY {Admitted:N0} of {Options.Jobs:N0} in time)" : "")}",
            Admitted,
            AdmittedAt.TotalSeconds,
            "jobs/s",
            Decision.P50,
            Decision.P99,
            "routing decision (submit -> decided)");

        public ThroughputArm AcknowledgedArm => new("Federation: submit in DE (batch API) -> acknowledged (committed in DE)", Acknowledged, AcknowledgedAt.TotalSeconds, "jobs/s");
    }
}
