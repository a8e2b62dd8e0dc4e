using System.CommandLine;
using System.Text.Json;
using Federation.Fedctl.Connection;

namespace Federation.Fedctl;

/// <summary>What every command shares: the global options, the streams, the environment, and error handling.</summary>
public sealed class FedctlContext(TextWriter output, TextWriter error, TextReader input, IReadOnlyDictionary<string, string?> environment)
{
    /// <summary>Indented JSON output.</summary>
    public static JsonSerializerOptions Indented { get; } = new() { WriteIndented = true };

    /// <summary>--url.</summary>
    public Option<string> Url { get; } = new("--url") { Description = "the nation's API base URL (else FEDCTL_URL, the config file, or http://127.0.0.1:5180)", Recursive = true };

    /// <summary>--token.</summary>
    public Option<string> Token { get; } = new("--token") { Description = "bearer token (else FEDCTL_TOKEN or the config file)", Recursive = true };

    /// <summary>--json.</summary>
    public Option<bool> JsonOption { get; } = new("--json") { Description = "print JSON for scripts instead of tables", Recursive = true };

    /// <summary>Standard output.</summary>
    public TextWriter Output { get; } = output;

    /// <summary>Standard error: progress and messages.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>Standard input.</summary>
    public TextReader Input { get; } = input;

    /// <summary>Environment variables.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; } = environment;

    /// <summary>Whether --json was given.</summary>
    public bool Json(ParseResult parse) => parse.GetValue(JsonOption);

    /// <summary>The resolved connection settings.</summary>
    public FedctlSettings Settings(ParseResult parse) => FedctlSettings.Resolve(parse.GetValue(Url), parse.GetValue(Token), Environment);

    /// <summary>Runs <paramref name="action"/> with an API client; a <see cref="FedctlException"/> becomes its message and exit code.</summary>
    public async Task<int> RunAsync(ParseResult parse, Func<ApiClient, TextWriter, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            using var api = new ApiClient(Settings(parse));
            return await action(api, Output);
        }
        catch (FedctlException e)
        {
            await Error.WriteLineAsync($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Error.WriteLineAsync("cancelled");
            return ExitCodes.Failure;
        }
    }
}
