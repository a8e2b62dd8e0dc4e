using System.CommandLine;
using Federation.Fedctl.Connection;

namespace Federation.Fedctl.Local;

/// <summary><c>fedctl local up|down|status</c>: a whole federation on this machine.</summary>
public static class LocalCommands
{
    /// <summary>The <c>local</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        var directory = new Option<string>("--dir") { Description = "where certificates, roster, logs and the state file go", DefaultValueFactory = _ => Path.Combine(".local", "federation"), Recursive = true };
        var local = new Command("local", "Run several nations on this machine (for development, demos and tests).");
        local.Options.Add(directory);

        var codes = new Argument<string[]>("nations") { Description = "nation codes, such as FR DE SE", Arity = ArgumentArity.OneOrMore };
        var silo = new Option<string>("--silo") { Description = "path of the built Federation.Silo.dll", DefaultValueFactory = _ => Path.Combine("silos", "Federation.Silo", "bin", "Release", "net10.0", "Federation.Silo.dll") };
        var postgres = new Option<string>("--postgres") { Description = "a PostgreSQL server connection string: one database per nation (federation_<code>), recreated; default: in memory" };
        var interval = new Option<TimeSpan>("--advert-interval") { Description = "how often nations push adverts", DefaultValueFactory = _ => TimeSpan.FromSeconds(5) };
        var workloads = new Option<string[]>("--workload")
        {
            Description = $"a workload every nation offers, as name@version (repeat for more); replaces the default {string.Join(" and ", LocalFederation.DefaultWorkloads)}",
            Arity = ArgumentArity.OneOrMore,
        };
        var settings = new Option<string[]>("--set")
        {
            Description = "configuration for one nation or all, as CODE:Key=Value or *:Key=Value (repeat for more), e.g. FR:Federation:Pools:0:Kind=slurm",
            Arity = ArgumentArity.OneOrMore,
        };
        var training = new Option<string>("--training")
        {
            Description = "the prefix of an installed training workload (workloads/install-training.sh): every nation allow-lists <prefix>/train.sh as train@1.0 and gets its patient-outcomes rows from its generate verb",
        };
        var trainingRows = new Option<int>("--training-rows") { Description = "rows of each nation's generated patient-outcomes with --training", DefaultValueFactory = _ => 2000 };
        var up = new Command("up", "Start the nations and print their URLs.") { codes };
        up.Options.Add(silo);
        up.Options.Add(postgres);
        up.Options.Add(interval);
        up.Options.Add(workloads);
        up.Options.Add(settings);
        up.Options.Add(training);
        up.Options.Add(trainingRows);
        up.SetAction(async (parse, ct) =>
        {
            try
            {
                var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
                foreach (var setting in parse.GetValue(settings) ?? [])
                {
                    var colon = setting.IndexOf(':', StringComparison.Ordinal);
                    var equals = setting.IndexOf('=', StringComparison.Ordinal);
                    var code = colon > 0 ? setting[..colon] : "";
                    if (colon <= 0 || equals < colon + 2 || (code != "*" && !parse.GetValue(codes)!.Contains(code, StringComparer.Ordinal)))
                    {
                        throw new FedctlException($"--set '{setting}' is not CODE:Key=Value with CODE one of {string.Join(", ", parse.GetValue(codes)!)} or *", ExitCodes.Usage);
                    }

                    extra[code] = [.. extra.GetValueOrDefault(code) ?? [], $"--{setting[(colon + 1)..]}"];
                }

                var launcher = new LocalFederation(parse.GetValue(directory)!, context.Output, context.Error) { ExtraArguments = extra, TrainingPrefix = parse.GetValue(training), TrainingRows = parse.GetValue(trainingRows) };
                await launcher.UpAsync(parse.GetValue(codes)!, Path.GetFullPath(parse.GetValue(silo)!), parse.GetValue(postgres), parse.GetValue(interval), parse.GetValue(workloads), ct);
                await context.Error.WriteLineAsync($"state: {launcher.StatePath}; stop with 'down'");
                return ExitCodes.Ok;
            }
            catch (FedctlException e)
            {
                await context.Error.WriteLineAsync($"error: {e.Message}");
                return e.ExitCode;
            }
        });

        var down = new Command("down", "Stop exactly the processes the last 'up' started.");
        down.SetAction(parse => new LocalFederation(parse.GetValue(directory)!, context.Output, context.Error).DownAsync());
        var status = new Command("status", "Show the nations 'up' started and whether they run (-o json: the state file).");
        status.SetAction(async parse => await Guard(context, () => new LocalFederation(parse.GetValue(directory)!, context.Output, context.Error).StatusAsync(context.Json(parse))));
        var urlCode = new Argument<string>("nation") { Description = "nation code, such as DE" };
        var url = new Command("url", "Print one nation's API base URL, for 'export FEDCTL_URL=$(infra/local/federation url DE)'.") { urlCode };
        url.SetAction(async parse => await Guard(context, () => new LocalFederation(parse.GetValue(directory)!, context.Output, context.Error).UrlAsync(parse.GetValue(urlCode)!)));
        var nationCode = new Argument<string>("nation") { Description = "nation code" };
        var stop = new Command("stop", "Stop one nation; the others keep running.") { nationCode };
        stop.SetAction(async parse => await Guard(context, () => new LocalFederation(parse.GetValue(directory)!, context.Output, context.Error).StopNationAsync(parse.GetValue(nationCode)!)));
        var start = new Command("start", "Start a stopped nation again (same ports, certificate, roster).") { nationCode };
        start.SetAction(async (parse, ct) => await Guard(context, () => new LocalFederation(parse.GetValue(directory)!, context.Output, context.Error).StartNationAsync(parse.GetValue(nationCode)!, ct)));
        local.Subcommands.Add(up);
        local.Subcommands.Add(stop);
        local.Subcommands.Add(start);
        local.Subcommands.Add(down);
        local.Subcommands.Add(status);
        local.Subcommands.Add(url);
        return local;
    }

    private static async Task<int> Guard(FedctlContext context, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (FedctlException e)
        {
            await context.Error.WriteLineAsync($"error: {e.Message}");
            return e.ExitCode;
        }
    }
}
