using System.Diagnostics;
using System.Globalization;
using Federation.Testing;
using Npgsql;

namespace Federation.Benchmarks;

/// <summary>
/// Job throughput (issue 7, part 8; issue 15): jobs per second from the first submission in DE
/// (through <c>POST /api/v1/jobs:batch</c>) to "admission committed in FR" for the last job, in a
/// 3-nation local federation on PostgreSQL with 1 and/or 2 silos per nation; the routing decision
/// latency, submit -> admitted latency at low load and at saturation, CPU, transactions, rows and WAL
/// per job, and a check that no acknowledged job was lost; and, in the same run, Slurm's submission on
/// this machine (sequential, parallel, array) and PostgreSQL's own ceiling (<c>pgbench -N</c>), with
/// the ratio of the federation to each. Exit code 1 when an acknowledged job was lost.
/// </summary>
internal static class ThroughputBenchmark
{

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

        var runs = new List<FederationRun>();
        foreach (var silos in options.SilosPerNation)
        {
            foreach (var log in options.TransparencyLog)
            {
                foreach (var telemetry in options.Telemetry?.Select(t => (bool?)t) ?? [null])
                {
                    output.WriteLine();
                    output.WriteLine($"{2 + runs.Count + 1}. The federation, {silos} silo(s) per nation, transparency log {(log ? "on" : "off")}{(telemetry is { } t ? $", telemetry {(t ? "on" : "off")}" : "")}: {options.Jobs:N0} jobs submitted in DE for FR, {options.Batch} per POST /api/v1/jobs:batch, {options.InFlight} in flight");
                    runs.Add(await ThroughputRun.RunAsync(options, silos, log, telemetry, output));
                    await MachineInfo.PrintLoadAverageAsync(output, "at the end");
                }
            }
        }

        ThroughputReport.PrintTable(output, runs, arms, skipped);
        ThroughputReport.PrintGoals(output, runs, arms);
        ThroughputReport.PrintLogCost(output, runs);
        ThroughputReport.PrintTelemetryCost(output, runs);
        foreach (var run in runs)
        {
            ThroughputReport.PrintLimits(output, run);
        }

        output.WriteLine();
        output.WriteLine($"Reproduce: {options.Command()}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Total run time {total.Elapsed.TotalMinutes:F1} min"));
        return runs.All(r => r.Lost.Passed) ? 0 : 1;
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
}
