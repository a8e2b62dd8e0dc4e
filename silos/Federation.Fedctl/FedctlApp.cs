using System.Collections;
using System.CommandLine;
using System.CommandLine.Invocation;
using Federation.Fedctl.Jobs;
using Federation.Fedctl.Resources;

namespace Federation.Fedctl;

/// <summary>fedctl's command tree.</summary>
public static class FedctlApp
{
    /// <summary>Runs fedctl with the process's streams and environment.</summary>
    public static Task<int> RunAsync(string[] args) =>
        RunAsync(args, Console.Out, Console.Error, Console.In, ProcessEnvironment(), CancellationToken.None);

    /// <summary>Runs fedctl with the given streams and environment (tests).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TextReader input, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        var context = new FedctlContext(output, error, input, environment);
        var root = new RootCommand("fedctl: operate a nation of the sovereign AI federation from a terminal.");
        root.Options.Add(context.Url);
        root.Options.Add(context.Token);
        root.Options.Add(context.OutputOption);
        root.Options.Add(context.JsonOption);
        foreach (var kind in ResourceKind.All)
        {
            root.Subcommands.Add(new ResourceCommands(kind, context).Build());
        }

        root.Subcommands.Add(NodeCommands.Build(context));
        root.Subcommands.Add(PlanCommands.Build(context));
        root.Subcommands.Add(JobCommands.Build(context));
        root.Subcommands.Add(ConfigCommands.Build(context));
        root.Subcommands.Add(NationCommands.Build(context));
        root.Subcommands.Add(FederationCommands.Build(context));
        root.Subcommands.Add(Local.LocalCommands.Build(context));
        root.Subcommands.Add(PeerCommands.Build(context));
        root.Subcommands.Add(TokenCommands.Build(context));
        root.Subcommands.Add(RoleCommands.Build(context));
        root.Subcommands.Add(ShareCommands.Build(context));
        root.Subcommands.Add(CourseCommands.Build(context));
        root.Subcommands.Add(GrantCommands.Build(context));
        root.Subcommands.Add(Audit.AuditCommands.Build(context));
        root.Subcommands.Add(RosterCommands.Build(context));
        root.Subcommands.Add(CompletionCommands.Build(context));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction)
        {
            // A usage error: say what is wrong in a line each, and where the usage is, with the
            // documented exit code (the library's own action prints the whole help and exits 1).
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}");
            }

            var path = string.Join(' ', Ancestry(parse.CommandResult).Reverse().Prepend("fedctl"));
            await error.WriteLineAsync($"usage: '{path} --help'");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    private static IEnumerable<string> Ancestry(System.CommandLine.Parsing.CommandResult result)
    {
        for (var current = result; current is not null && current.Command is not RootCommand; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            yield return current.Command.Name;
        }
    }

    private static Dictionary<string, string?> ProcessEnvironment() =>
        System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
}
