using Federation.Silo.Admin;
using Federation.Silo.Hosting;
using Federation.Silo.Postgres;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Commands;

/// <summary>The silo executable's verbs: run (default), migrate, rebuild, help.</summary>
public static class SiloCommands
{
    /// <summary>Runs the verb in <paramref name="args"/>[0]; the other arguments are configuration.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
        var rest = verb == "run" && (args.Length == 0 || args[0].StartsWith('-')) ? args : args[1..];
        try
        {
            switch (verb)
            {
                case "run":
                    await SiloHost.Build(rest).RunAsync();
                    return 0;
                case "migrate":
                    return await MigrateAsync(rest);
                case "rebuild":
                    return await RebuildAsync(rest);
                case "help" or "--help" or "-h":
                    PrintHelp();
                    return 0;
                default:
                    await Console.Error.WriteLineAsync($"Unknown command '{verb}'.");
                    PrintHelp();
                    return 2;
            }
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("Configuration is invalid:");
            foreach (var failure in e.Failures)
            {
                await Console.Error.WriteLineAsync("  - " + failure);
            }

            return 2;
        }
        catch (Exception e) when (e is SchemaMismatchException or Npgsql.NpgsqlException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> MigrateAsync(string[] args)
    {
        var app = SiloHost.Build(args);
        if (app.Services.GetService<SchemaMigrator>() is not { } migrator)
        {
            await Console.Error.WriteLineAsync("error: no database configured: set Federation:Postgres:ConnectionString (e.g. FEDERATION__POSTGRES__CONNECTIONSTRING).");
            return 2;
        }

        var report = await migrator.MigrateAsync(CancellationToken.None);
        Console.WriteLine($"schema at version {report.CurrentVersion}: applied [{string.Join(", ", report.Applied)}], already present [{string.Join(", ", report.AlreadyPresent)}]");
        foreach (var notice in report.Notices)
        {
            Console.WriteLine($"  {notice.Migration}: {notice.Severity}: {notice.Text}");
        }

        return 0;
    }

    private static async Task<int> RebuildAsync(string[] args)
    {
        // A temporary silo joins the nation's cluster on free ports, re-projects every grain, and leaves.
        var app = SiloHost.Build([.. args, "--Federation:Urls=http://127.0.0.1:0", "--Federation:SiloPort=0", "--Federation:GatewayPort=0", "--Federation:SeedDemoCatalogue=false"]);
        var rebuilder = app.Services.GetRequiredService<ReadModelRebuilder>();
        if (!rebuilder.IsAvailable)
        {
            await Console.Error.WriteLineAsync("error: rebuild needs a PostgreSQL-backed nation: set Federation:Postgres:ConnectionString. An embedded silo's state and index cannot diverge.");
            return 2;
        }

        await app.StartAsync();
        try
        {
            Console.WriteLine("rebuilding the read model from grain state ...");
            var report = await rebuilder.RebuildAsync(new Progress<string>(Console.WriteLine), CancellationToken.None);
            Console.WriteLine($"rebuilt: {report.Datasets} datasets, {report.Nodes} nodes, {report.Models} models, {report.Jobs} jobs");
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static void PrintHelp() => Console.WriteLine(
        """
        Federation.Silo: one silo of a nation in the federation.

        usage: Federation.Silo [run] [--Key=Value ...]   start the silo (default)
               Federation.Silo migrate [--Key=Value ...] apply PostgreSQL schema migrations and exit
               Federation.Silo rebuild [--Key=Value ...] restore the catalogue read model from grain state
               Federation.Silo help

        With no configuration the silo runs embedded (in memory, open, loopback only).
        Configuration keys are listed in the README (e.g. --Federation:Nation:Code=DE,
        FEDERATION__POSTGRES__CONNECTIONSTRING=...).
        """);
}
