using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;

namespace Federation.Benchmarks;

/// <summary>
/// One federation run of the throughput benchmark: start FR, DE and SE with N silos each, warm up,
/// time single jobs at low load, then the timed batch load to saturation, then read the counters,
/// the latencies and the lost-jobs check, and stop everything.
/// </summary>
internal static class ThroughputRun
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);
    private static readonly string[] s_nations = ["FR", "DE", "SE"];

    /// <summary>Runs the federation arm with <paramref name="silosPerNation"/> silos per nation, their transparency logs recording or not (<paramref name="log"/>), their telemetry on, off or as by default (<paramref name="telemetry"/> null).</summary>
    public static async Task<FederationRun> RunAsync(ThroughputOptions options, int silosPerNation, bool log, bool? telemetry, TextWriter output)
    {
        var ct = CancellationToken.None;
        using var routing = options.RoutingNations.Count > 0 ? await RoutingDuringLoad.PrepareAsync(options.RoutingNations, options.RoutingNodes, output) : null;
        var start = Stopwatch.StartNew();
        var removed = ThroughputFederation.RemovedRuntimeVariables;
        await using var federation = await ThroughputFederation.StartAsync(options.Jobs + options.WarmUp + options.LowLoad, silosPerNation, log, telemetry, options.WorkRoot, output, ct);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  started     3 nations x {silosPerNation} silo(s) on PostgreSQL in {start.Elapsed.TotalSeconds:F1} s (databases {federation.Prefix}_*); runtime defaults (tiered compilation on, no GC setting{(removed.Count > 0 ? $"; removed from the silos' environment: {string.Join(", ", removed)}" : "")}); silo arguments: {string.Join(' ', ThroughputFederation.ArgumentsOf(log))}{ThroughputFederation.TelemetryArguments(telemetry, "<nation>")}; job directories under {federation.JobsRoot ?? "the run's directory"}"));
        var de = federation.Clients("DE");
        await using var frDatabase = NpgsqlDataSource.Create(federation.Database("FR"));
        await using var deDatabase = NpgsqlDataSource.Create(federation.Database("DE"));
        var databases = s_nations.ToDictionary(c => c, c => NpgsqlDataSource.Create(federation.Database(c)), StringComparer.Ordinal);
        var acknowledgedIds = new ConcurrentBag<string>();
        try
        {
            // Warm-up: the same path end to end, untimed (JIT, connections, grain directory), then until
            // the silos' background (tiered) compilation has settled.
            var warm = Stopwatch.StartNew();
            var batchNumber = 0;
            foreach (var chunk in Enumerable.Range(1, options.WarmUp).Chunk(options.Batch))
            {
                var answer = await SubmitAsync(de[batchNumber++ % de.Count], [.. chunk.Select(i => Job($"warm-{i:D6}"))], ct);
                AddCreated(answer, acknowledgedIds);
            }

            await WaitAdmittedAsync(frDatabase, "warm-", options.WarmUp, TimeSpan.FromSeconds(120) + TimeSpan.FromSeconds(options.WarmUp / 10.0), federation);
            var processes = federation.Silos.ToDictionary(s => s.Label, s => s.Pid, StringComparer.Ordinal);
            var jit = await JitSettle.WaitAsync(processes.Values, TimeSpan.FromSeconds(options.SettleSeconds));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  warm-up     {options.WarmUp:N0} jobs through the same path, untimed, then {jit}: {warm.Elapsed.TotalSeconds:F1} s"));

            var (lowLoad, lowLoadClient) = await JobLatency.LowLoadAsync(de[0], options.LowLoad, TimeSpan.FromMilliseconds(options.LowLoadGap), Job, ct);
            foreach (var i in Enumerable.Range(1, options.LowLoad))
            {
                acknowledgedIds.Add($"ll-{i:D6}");
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  low load    {options.LowLoad:N0} jobs one at a time (POST /api/v1/jobs, the next once the last is admitted{(options.LowLoadGap > 0 ? $" and {options.LowLoadGap} ms more have passed" : "")}): submit -> admitted p50 {JobLatency.Percentile(lowLoad, 0.5):F1} ms, p99 {JobLatency.Percentile(lowLoad, 0.99):F1} ms (DE's events); client p50 {JobLatency.Percentile(lowLoadClient, 0.5):F1} ms"));

            output.WriteLine(StageBreakdown.Table(StageBreakdown.Read(federation.Silos.Select(ThroughputFederation.Log), "ll-")));
            processes["client"] = Environment.ProcessId;

            var wal0 = await ThroughputDatabase.WalAsync(frDatabase);
            var commits0 = await ThroughputDatabase.CommitsAsync(frDatabase, federation.Prefix);
            var rows0 = await RowWritesAsync(databases);
            var pipelines0 = await SiloMetrics.ScrapeAsync(federation, ct); // before the CPU sample: serving /metrics is not the window's work
            var cpu0 = await TakeCpuAsync(processes, federation.Prefix, frDatabase);
            routing?.Start();
            output.WriteLine("  progress    (admitted = rows of FR's execution grain state committed in FR's database)");

            var acknowledged = 0;
            var failures = new List<string>();
            var clock = Stopwatch.StartNew();
            var gate = new SemaphoreSlim(options.InFlight);
            var sends = new List<Task>();
            var observer = ObserveAsync(frDatabase, options.Jobs, clock, () => Volatile.Read(ref acknowledged), output, TimeSpan.FromSeconds(120) + TimeSpan.FromSeconds(options.Jobs / 25.0));
            foreach (var chunk in Enumerable.Range(1, options.Jobs).Chunk(options.Batch))
            {
                await gate.WaitAsync(ct);
                var client = de[batchNumber++ % de.Count];
                sends.Add(Task.Run(
                    async () =>
                    {
                        try
                        {
                            var answer = await SubmitAsync(client, [.. chunk.Select(i => Job($"tp-{i:D7}"))], ct);
                            var created = AddCreated(answer, acknowledgedIds);
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
                    },
                    ct));
            }

            await Task.WhenAll(sends);
            var acknowledgedAt = clock.Elapsed;
            var (admitted, admittedAt) = await observer;
            var routed = routing?.Stop();
            var cpu1 = await TakeCpuAsync(processes, federation.Prefix, frDatabase);
            var busiest = CpuSample.BusiestBackends(cpu0, cpu1, 3);
            var backends = await ThroughputDatabase.DescribeBackendsAsync(frDatabase, [.. busiest.Select(b => b.Pid)]);
            var pipelines1 = await SiloMetrics.ScrapeAsync(federation, ct);

            // Statistics reach pg_stat_database within a second of a backend going idle.
            await Task.Delay(1500, ct);
            var commits1 = await ThroughputDatabase.CommitsAsync(frDatabase, federation.Prefix);
            var wal1 = await ThroughputDatabase.WalAsync(frDatabase);
            var rows1 = await RowWritesAsync(databases);

            var timed = acknowledgedIds.Where(id => id.StartsWith("tp-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            var saturation = await JobLatency.OfAsync(de, JobLatency.Sample(timed, 1_000), 4, ct);
            var lost = LostJobs.Check([.. acknowledgedIds], await ThroughputDatabase.InDeJobStoreAsync(deDatabase), await ThroughputDatabase.ReachedFrAsync(frDatabase));

            var (groupCommit, batches0, batches1) = Pipelines(federation, pipelines0, pipelines1);
            var states = await ThroughputDatabase.StatesAsync(deDatabase);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  done        acknowledged by DE: {acknowledged:N0} in {acknowledgedAt.TotalSeconds:F2} s; admission committed in FR: {admitted:N0} in {admittedAt.TotalSeconds:F2} s"));
            output.WriteLine($"  DE states   {string.Join(", ", states.Select(s => $"{s.Key} {s.Value:N0}"))} (DE's job read model, after the run)");
            output.WriteLine($"  {lost.Line()}");

            // Which backends the window's PostgreSQL time went to (the benchmark's own among them, left out of the figures),
            // so that a run whose database figure stands out says who spent it.
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  PostgreSQL  busiest backends in the window: {string.Join("; ", busiest.Select(b => $"{b.Nation} pid {b.Pid} {b.Seconds:F2} s ({backends.GetValueOrDefault(b.Pid, "gone by the window's end")})"))}"));
            if (routed is { } r)
            {
                RoutingDuringLoad.WriteLines(output, r.Results, r.ThreadCpu);
            }

            if (options.IdleSeconds > 0)
            {
                output.WriteLine(await IdleAsync(options.IdleSeconds, processes.Where(p => p.Key != "client").ToDictionary(StringComparer.Ordinal), federation.Prefix, frDatabase, databases, ct));
            }

            if (Retry503.Retries > 0)
            {
                output.WriteLine($"  NOTE        {Retry503.Retries} requests were sent again after HTTP 503 (Retry-After) so far in this process");
            }
            foreach (var failure in failures.Take(5))
            {
                output.WriteLine($"  NOTE        {failure}");
            }

            return new FederationRun
            {
                Options = options,
                SilosPerNation = silosPerNation,
                TransparencyLog = log,
                Telemetry = telemetry,
                SpanLines = federation.SpanLines(),
                Silos = federation.Silos,
                Acknowledged = acknowledged,
                AcknowledgedAt = acknowledgedAt,
                Admitted = admitted,
                AdmittedAt = admittedAt,
                LowLoadLatency = lowLoad,
                LowLoadClient = lowLoadClient,
                SaturationLatency = saturation,
                Cpu = (cpu0, cpu1),
                Commits = (commits0, commits1),
                Wal = (wal0, wal1),
                RowWrites = (rows0, rows1),
                GroupCommit = groupCommit,
                Batches = (batches0, batches1),
                Routing = routed?.Results ?? [],
                RoutingThreadCpu = routed?.ThreadCpu ?? TimeSpan.Zero,
                Lost = lost,
            };
        }
        finally
        {
            foreach (var source in databases.Values)
            {
                await source.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The idle window: nothing submitted for <paramref name="seconds"/> while the federation holds its
    /// live jobs; the CPU each silo and each nation's PostgreSQL backends spend, in milliseconds per
    /// second, and the rows written to each lease index from the window's start to its end (by
    /// PostgreSQL's statistics, which may lag by a second or so).
    /// </summary>
    private static async Task<string> IdleAsync(int seconds, Dictionary<string, int> silos, string prefix, NpgsqlDataSource any,
        Dictionary<string, NpgsqlDataSource> databases, CancellationToken ct)
    {
        var live = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (code, database) in databases)
        {
            live[code] = await ThroughputDatabase.LiveLeasesAsync(database);
        }

        var rowsBefore = await RowWritesAsync(databases);
        var cpu0 = await TakeCpuAsync(silos, prefix, any);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds), ct); // the measured window itself
        var cpu1 = await TakeCpuAsync(silos, prefix, any);
        var elapsed = clock.Elapsed.TotalSeconds;
        var rowsAfter = await RowWritesAsync(databases);
        string PerSecond(double from, double to) => ((to - from) * 1000 / elapsed).ToString("F1", CultureInfo.InvariantCulture);
        var cpu = string.Join(", ", silos.Keys.Order(StringComparer.Ordinal).Select(s => $"{s} {PerSecond(cpu0.ProcessSeconds[s], cpu1.ProcessSeconds[s])}")
            .Concat(databases.Keys.Order(StringComparer.Ordinal).Select(c => $"PostgreSQL {c} {PerSecond(cpu0.PostgresByDatabase.GetValueOrDefault(c), cpu1.PostgresByDatabase.GetValueOrDefault(c))}")));
        var leaseRows = string.Join(", ", databases.Keys.Order(StringComparer.Ordinal).Select(c =>
            $"{c} {rowsAfter[c].GetValueOrDefault("lease") - rowsBefore[c].GetValueOrDefault("lease"):N0}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"  idle        {elapsed:F0} s with nothing submitted, holding {string.Join(", ", live.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Value:N0} live lease entries in {l.Key}"))}: CPU ms per second {cpu}; lease-index rows written {leaseRows}");
    }

    private static async Task<Dictionary<string, Dictionary<string, long>>> RowWritesAsync(Dictionary<string, NpgsqlDataSource> databases)
    {
        var writes = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var (code, source) in databases)
        {
            writes[code] = await ThroughputDatabase.RowWritesAsync(source);
        }

        return writes;
    }

    /// <summary>
    /// Per silo, the jobs grain storage's writes and transactions in the timed window, and the batched transport's totals per
    /// peer at its start and end (from the silos' metrics); the largest batches so far from their statistics lines. Empty when
    /// the silos serve no metrics.
    /// </summary>
    private static (Dictionary<string, (long Writes, long Transactions, long Largest)> GroupCommit, Dictionary<string, Dictionary<string, BatchCount>> Start, Dictionary<string, Dictionary<string, BatchCount>> End) Pipelines(
        ThroughputFederation federation, Dictionary<string, PipelineTotals>? start, Dictionary<string, PipelineTotals>? end)
    {
        var groupCommit = new Dictionary<string, (long, long, long)>(StringComparer.Ordinal);
        var (batchesStart, batchesEnd) = (new Dictionary<string, Dictionary<string, BatchCount>>(StringComparer.Ordinal), new Dictionary<string, Dictionary<string, BatchCount>>(StringComparer.Ordinal));
        if (start is null || end is null)
        {
            return (groupCommit, batchesStart, batchesEnd);
        }

        foreach (var silo in federation.Silos)
        {
            var log = ThroughputFederation.Log(silo);
            var largest = SiloLogStatistics.BatchesOf(log);
            var (before, after) = (start[silo.Label], end[silo.Label]);
            var jobs0 = before.Storages.GetValueOrDefault(ThroughputFederation.JobsStorage);
            var jobs1 = after.Storages.GetValueOrDefault(ThroughputFederation.JobsStorage);
            groupCommit[silo.Label] = (jobs1.Writes - jobs0.Writes, jobs1.Transactions - jobs0.Transactions, SiloLogStatistics.GroupCommitOf(log).Largest);
            batchesStart[silo.Label] = before.Peers.ToDictionary(p => p.Key, p => new BatchCount(p.Value.Messages, p.Value.Requests, 0), StringComparer.Ordinal);
            batchesEnd[silo.Label] = after.Peers.ToDictionary(p => p.Key, p => new BatchCount(p.Value.Messages, p.Value.Requests, largest.GetValueOrDefault(p.Key).Largest), StringComparer.Ordinal);
        }

        return (groupCommit, batchesStart, batchesEnd);
    }

    private static int AddCreated(JsonNode answer, ConcurrentBag<string> ids)
    {
        var created = 0;
        foreach (var entry in answer["jobs"]!.AsArray())
        {
            // "existing" only when a batch was sent again after a 503 (ids are fresh in every run).
            if (entry!["outcome"]!.GetValue<string>() is "created" or "existing")
            {
                var id = entry["id"]!.GetValue<string>();
                ids.Add(id.Contains('/', StringComparison.Ordinal) ? id.Split('/')[1] : id);
                created++;
            }
        }

        return created;
    }

    private static async Task<(int Admitted, TimeSpan At)> ObserveAsync(NpgsqlDataSource fr, int jobs, Stopwatch clock, Func<int> acknowledged, TextWriter output, TimeSpan timeout)
    {
        var admitted = 0;
        var at = TimeSpan.Zero;
        var nextLine = TimeSpan.FromSeconds(1);
        var (lastCount, lastTime) = (0, TimeSpan.Zero);
        while (clock.Elapsed < timeout)
        {
            var asked = clock.Elapsed;
            var count = await ThroughputDatabase.CountAdmittedAsync(fr, "tp-");
            var now = clock.Elapsed;
            if (count > admitted)
            {
                // The count is as of the query's start: the jobs were admitted by then.
                (admitted, at) = (count, asked);
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

            // The count reads every execution row: polled at most every s_poll, and so that it keeps one backend under about 5 % busy,
            // but every s_poll again for the last 5 % of the jobs, so that the end of the window is seen as closely as before.
            var next = asked + (admitted >= jobs * 0.95 ? s_poll : Max(s_poll, (now - asked) * 20));
            if (next > clock.Elapsed)
            {
                await Task.Delay(next - clock.Elapsed); // pacing the polls, not waiting for a condition
            }
        }

        return (admitted, at);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>
    /// <see cref="CpuSample.Take"/> with the benchmark's own backends left out: their pids are read again after the
    /// sample, and the sample taken again if one was opened meanwhile (it would have counted as a nation's).
    /// </summary>
    private static async Task<CpuSample> TakeCpuAsync(IReadOnlyDictionary<string, int> processes, string prefix, NpgsqlDataSource any)
    {
        var observers = await ThroughputDatabase.ObserverPidsAsync(any);
        while (true)
        {
            var sample = CpuSample.Take(processes, prefix, observers);
            var after = await ThroughputDatabase.ObserverPidsAsync(any);
            if (after.IsSubsetOf(observers))
            {
                return sample;
            }

            observers.UnionWith(after);
        }
    }

    private static async Task<JsonNode> SubmitAsync(HttpClient client, JsonObject[] jobs, CancellationToken ct)
    {
        using var response = await Retry503.PostAsync(client, "api/v1/jobs:batch", new JsonObject { ["jobs"] = new JsonArray(jobs) }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        return response.IsSuccessStatusCode ? JsonNode.Parse(body)! : throw new InvalidOperationException($"POST /api/v1/jobs:batch: HTTP {(int)response.StatusCode}: {body}");
    }

    private static async Task WaitAdmittedAsync(NpgsqlDataSource fr, string prefix, int count, TimeSpan timeout, ThroughputFederation federation)
    {
        var clock = Stopwatch.StartNew();
        while (await ThroughputDatabase.CountAdmittedAsync(fr, prefix) < count)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"the warm-up jobs were not admitted in FR within {timeout.TotalSeconds:0} s{federation.Diagnostics()}");
            }

            await Task.Delay(s_poll);
        }
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
}
