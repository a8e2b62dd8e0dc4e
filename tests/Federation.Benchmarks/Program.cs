using System.Diagnostics;
using System.Globalization;
using Federation.Testing;
using Npgsql;

namespace Federation.Benchmarks;

/// <summary>
/// Catalogue at scale (issue 3, part 4), the default: a fresh database, a configured silo in this
/// process, N datasets loaded, then list, search and filter pages timed through the user API, and
/// the SQL OFFSET baseline for the deep page. <c>routing</c> as the first argument runs the
/// routing-decision benchmark instead (<see cref="RoutingBenchmark"/>); <c>throughput</c>, <c>trace</c>,
/// <c>federated</c> and <c>slurm-poll</c> (<see cref="SlurmPollBenchmark"/>) run theirs.
/// </summary>
internal static class Program
{
    private const int PageSize = 50;

    private static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case ["routing", .. var routingArgs]:
                return await RoutingBenchmark.MainAsync(routingArgs);
            case ["throughput", .. var throughputArgs]:
                return await ThroughputBenchmark.MainAsync(throughputArgs);
            case ["trace", .. var traceArgs]:
                return await Trace.TraceBenchmark.MainAsync(traceArgs);
            case ["federated", .. var federatedArgs]:
                return await Learning.FederatedBenchmark.MainAsync(federatedArgs);
            case ["slurm-poll", .. var pollArgs]:
                if (OperatingSystem.IsWindows())
                {
                    await Console.Error.WriteLineAsync("slurm-poll needs Slurm, which runs on Linux only");
                    return 2;
                }

                return await SlurmPollBenchmark.MainAsync(pollArgs);
            case ["catalogue", .. var catalogueArgs]:
                args = catalogueArgs;
                break;
        }

        var options = BenchmarkOptions.Parse(args, out var error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync((error is { Length: > 0 } ? error + "\n" : "") + BenchmarkOptions.Usage);
            return error is { Length: > 0 } ? 2 : 0;
        }

        var output = Console.Out;
        var total = Stopwatch.StartNew();
        output.WriteLine("Catalogue at scale: federation silo benchmark");
        output.WriteLine($"  command     {options.Command()}");
        await PrintMachineAsync(output);
        await MachineInfo.PrintLoadAverageAsync(output, "before loading");

        await using var database = await PostgresTestDatabase.CreateAsync("benchmark");
        output.WriteLine($"  database    {database.Name} (fresh; dropped at the end)");
        await using var silo = await SiloUnderTest.StartConfiguredAsync(database.ConnectionString);
        output.WriteLine($"  silo        {silo.BaseAddress} (configured: PostgreSQL grain storage, clustering and read model, in this process)");
        await using var sql = NpgsqlDataSource.Create(database.ConnectionString);

        var generator = new CatalogueGenerator(options.Seed);
        output.WriteLine();
        output.WriteLine(options.Load == LoadMode.Api
            ? $"Loading {options.Datasets:N0} datasets through the user API (loader: api; POST /api/v1/datasets, {options.Parallelism} in flight; each write: validation, dataset grain, grain storage, read-model upsert)"
            : $"Loading {options.Datasets:N0} datasets straight into the read model (loader: direct; PostgresCatalogueIndex.UpsertDatasetAsync, {options.Parallelism} in flight; grain storage NOT populated)");
        var loadTime = await CatalogueLoader.LoadAsync(options, generator, silo, output);
        var rate = options.Datasets / loadTime.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Loaded {options.Datasets:N0} datasets in {loadTime.TotalSeconds:F1} s: {rate:F0} datasets/s (loader: {(options.Load == LoadMode.Api ? "api" : "direct")})"));

        var stored = await ScalarAsync<long>(sql, "SELECT count(*) FROM catalogue_datasets");
        var grainRows = await ScalarAsync<long>(sql, "SELECT count(*) FROM orleansstorage");
        output.WriteLine($"  read model  {stored:N0} rows in catalogue_datasets, {await ScalarAsync<string>(sql, "SELECT pg_size_pretty(pg_total_relation_size('catalogue_datasets'))")} with indexes");
        output.WriteLine($"  grains      {grainRows:N0} rows in OrleansStorage (the datasets' grains and the nation profile)");
        if (stored != options.Datasets)
        {
            throw new InvalidOperationException($"Loading: the read model holds {stored} datasets, expected {options.Datasets}.");
        }

        // Autovacuum would get there on its own after a bulk load; doing it now makes runs comparable.
        await ExecuteAsync(sql, "VACUUM (ANALYZE) catalogue_datasets");
        output.WriteLine("  VACUUM (ANALYZE) catalogue_datasets done");
        await MachineInfo.PrintLoadAverageAsync(output, "before measuring");

        var keys = await KeysAsync(sql, null);
        var deepPosition = (int)(keys.Count * 0.9);
        var deepAfter = keys[deepPosition - 1];
        var matches = await KeysAsync(sql, CatalogueGenerator.CommonTerm);
        var searchDeep = (int)(matches.Count * 0.9);
        var searchDeepAfter = matches[searchDeep - 1];
        var tagged = await ScalarAsync<long>(sql, "SELECT count(*) FROM catalogue_datasets WHERE tags @> ARRAY[@p]::text[]", CatalogueGenerator.CommonTag);
        const string Licence = "ODbL-1.0";
        var licensed = await ScalarAsync<long>(sql, "SELECT count(*) FROM catalogue_datasets WHERE lower(licence) = lower(@p)", Licence);
        output.WriteLine();
        output.WriteLine($"Queries ({PageSize} per page; one request at a time, in rounds that visit every query once; {options.WarmUp} warm-up rounds, then {options.Samples} timed)");
        output.WriteLine("  API timings: HttpClient over loopback to the silo in this process, from sending to having read the body; the client shares the machine's cores");
        output.WriteLine($"  list deep    after = key #{deepPosition:N0} of {keys.Count:N0} ('{deepAfter}')");
        output.WriteLine($"  search       text={CatalogueGenerator.CommonTerm}: {matches.Count:N0} matches ({100.0 * matches.Count / keys.Count:F1} %); deep page after match #{searchDeep:N0} ('{searchDeepAfter}')");
        output.WriteLine($"  tag          tag={CatalogueGenerator.CommonTag}: {tagged:N0} matches ({100.0 * tagged / keys.Count:F1} %)");
        output.WriteLine($"  licence      licence={Licence}: {licensed:N0} matches ({100.0 * licensed / keys.Count:F1} %)");

        var api = new ApiPages(silo.Client);
        var limit = $"limit={PageSize}";
        List<Probe> probes =
        [
            api.Page("API list, page 1", limit, PageSize),
            api.Page($"API list, deep page (after key #{deepPosition:N0})", $"{limit}&after={Uri.EscapeDataString(deepAfter)}", PageSize),
            api.Page($"API search text={CatalogueGenerator.CommonTerm}, page 1", $"{limit}&text={CatalogueGenerator.CommonTerm}", PageSize),
            api.Page($"API search text={CatalogueGenerator.CommonTerm}, deep page (after match #{searchDeep:N0})", $"{limit}&text={CatalogueGenerator.CommonTerm}&after={Uri.EscapeDataString(searchDeepAfter)}", PageSize),
            api.Page($"API tag={CatalogueGenerator.CommonTag}, page 1", $"{limit}&tag={CatalogueGenerator.CommonTag}", PageSize),
            api.Page($"API licence={Licence}, page 1", $"{limit}&licence={Licence}", PageSize),
        ];
        var results = await LatencyRunner.MeasureAsync(probes, options.WarmUp, options.Samples);

        // A group of its own: the OFFSET query reads 90 % of the table, which would disturb the API rounds' caches.
        var sqlResults = await LatencyRunner.MeasureAsync(await new SqlPagingBaseline(sql).ProbesAsync(deepAfter, deepPosition, PageSize), options.WarmUp, options.Samples);
        var (keyset, offset, offsetKeys) = (sqlResults[0], sqlResults[1], sqlResults[2]);

        await MachineInfo.PrintLoadAverageAsync(output, "after measuring");
        output.WriteLine();
        output.WriteLine(Latency.Header);
        foreach (var result in results.Concat(sqlResults))
        {
            output.WriteLine(result.Row());
        }

        output.WriteLine();
        output.WriteLine("SQL baseline, straight to PostgreSQL with Npgsql, same columns (key, document), filter and page:");
        output.WriteLine($"  keyset  {SqlPagingBaseline.KeysetSql}");
        output.WriteLine($"  offset  {SqlPagingBaseline.OffsetSql}");
        output.WriteLine($"  offset over keys  {SqlPagingBaseline.OffsetKeysSql}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  OFFSET {deepPosition:N0} vs keyset, same page: {offset.P50 / keyset.P50:F1}x slower at p50, {offset.P95 / keyset.P95:F1}x at p95"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  OFFSET {deepPosition:N0} over keys vs keyset, same page: {offsetKeys.P50 / keyset.P50:F1}x slower at p50, {offsetKeys.P95 / keyset.P95:F1}x at p95"));

        var goal = results.Take(2).ToList();
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Goal 'p95 of page 1 and of a deep page under 50 ms': list page 1 p95 {goal[0].P95:F2} ms, list deep page p95 {goal[1].P95:F2} ms: {(goal.All(g => g.P95 < 50) ? "met" : "NOT met")}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Search pages p95: page 1 {results[2].P95:F2} ms, deep page {results[3].P95:F2} ms: {(results[2].P95 < 50 && results[3].P95 < 50 ? "under" : "NOT under")} 50 ms"));
        output.WriteLine();
        output.WriteLine($"Reproduce: {options.Command()}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Total run time {total.Elapsed.TotalMinutes:F1} min (load {loadTime.TotalMinutes:F1} min)"));
        return 0;
    }

    private static async Task PrintMachineAsync(TextWriter output)
    {
        await MachineInfo.PrintAsync(output);
        var server = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ServerConnectionString) { Database = "postgres", Pooling = false };
        await using var source = NpgsqlDataSource.Create(server.ConnectionString);
        output.WriteLine($"  postgresql  {await ScalarAsync<string>(source, "SELECT version()")}; shared_buffers {await ScalarAsync<string>(source, "SHOW shared_buffers")}, same host");
    }

    private static async Task<List<string>> KeysAsync(NpgsqlDataSource sql, string? term)
    {
        await using var command = sql.CreateCommand(term is null
            ? "SELECT key FROM catalogue_datasets WHERE status = 'active' ORDER BY key"
            : "SELECT key FROM catalogue_datasets WHERE status = 'active' AND search_text ILIKE @p ORDER BY key");
        if (term is not null)
        {
            command.Parameters.AddWithValue("p", "%" + term + "%");
        }

        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource sql, string text, string? parameter = null)
    {
        await using var command = sql.CreateCommand(text);
        if (parameter is not null)
        {
            command.Parameters.AddWithValue("p", parameter);
        }

        return (T)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"'{text}' returned null."));
    }

    private static async Task ExecuteAsync(NpgsqlDataSource sql, string text)
    {
        await using var command = sql.CreateCommand(text);
        await command.ExecuteNonQueryAsync();
    }
}
