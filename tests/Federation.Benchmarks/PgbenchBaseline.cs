using System.Globalization;
using System.Text.RegularExpressions;
using Federation.Testing;
using Npgsql;

namespace Federation.Benchmarks;

/// <summary>
/// PostgreSQL's own ceiling on this machine: <c>pgbench -N</c> (the simple-update transaction
/// without the contended branch and teller updates: three statements and a commit) on a scratch
/// database initialised with <c>pgbench -i</c> and dropped at the end.
/// </summary>
internal static partial class PgbenchBaseline
{
    /// <summary>Runs pgbench; returns the arm, or null with a reason.</summary>
    public static async Task<(ThroughputArm? Arm, string? Skipped)> RunAsync(ThroughputOptions options, TextWriter output)
    {
        var server = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ServerConnectionString);
        var name = $"fedbench_pgbench_{Guid.NewGuid():N}"[..28];
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PGHOST"] = server.Host ?? "127.0.0.1",
            ["PGPORT"] = server.Port.ToString(CultureInfo.InvariantCulture),
            ["PGUSER"] = server.Username ?? "postgres",
            ["PGPASSWORD"] = server.Password ?? "",
        };
        var admin = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ServerConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
        try
        {
            var (initCode, _, initError) = await ProcessRun.RunAsync("pgbench", ["-i", "-q", "-s", "1", name], environment);
            if (initCode != 0)
            {
                return (null, $"pgbench -i failed: {initError.Trim()}");
            }

            string[] arguments = ["-N", "-c", "8", "-j", "2", "-T", options.PgbenchSeconds.ToString(CultureInfo.InvariantCulture), name];
            output.WriteLine($"  pgbench     pgbench {string.Join(' ', arguments)} (scratch database, initialised with pgbench -i -s 1, dropped after)");
            var (code, report, error) = await ProcessRun.RunAsync("pgbench", arguments, environment);
            var tps = TpsLine().Match(report);
            var latency = LatencyLine().Match(report);
            if (code != 0 || !tps.Success)
            {
                return (null, $"pgbench failed ({code}): {error.Trim()} {report.Trim()}");
            }

            var rate = double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture);
            var transactions = TransactionsLine().Match(report) is { Success: true } t ? long.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture) : (long)(rate * options.PgbenchSeconds);
            double? average = latency.Success ? double.Parse(latency.Groups[1].Value, CultureInfo.InvariantCulture) : null;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  measured    pgbench -N: {rate:F0} tps, {transactions:N0} transactions, average latency {average:F2} ms"));
            return (new ThroughputArm("PostgreSQL: pgbench -N, 8 clients", transactions, transactions / rate, "tps", average, null, "average transaction (pgbench prints no percentiles)"), null);
        }
        finally
        {
            await DropAsync(admin, name, output);
        }
    }

    /// <summary>
    /// Drops the scratch database. An autovacuum worker (a superuser's backend, which this role may not
    /// terminate) can be in it just after the run: the drop is tried again while it finishes, and a
    /// database that still cannot be dropped is named, not a reason to lose the run.
    /// </summary>
    private static async Task DropAsync(string admin, string name, TextWriter output)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                if (attempt == 10)
                {
                    output.WriteLine($"  warning     the scratch database {name} could not be dropped ({e.MessageText}); drop it by hand");
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500)); // an autovacuum worker's pass over a small table
            }
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex LatencyLine();

    [GeneratedRegex(@"number of transactions actually processed: ([0-9]+)")]
    private static partial Regex TransactionsLine();
}
