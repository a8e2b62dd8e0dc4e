using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Output;

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

    /// <summary>-o|--output table|wide|json.</summary>
    public Option<OutputFormat?> OutputOption { get; } = CreateOutputOption();

    /// <summary>--json: kept as another name for <c>-o json</c>.</summary>
    public Option<bool> JsonOption { get; } = new("--json") { Description = "same as -o json", Recursive = true };

    /// <summary>Standard output.</summary>
    public TextWriter Output { get; } = output;

    /// <summary>Standard error: progress and messages.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>Standard input.</summary>
    public TextReader Input { get; } = input;

    /// <summary>Environment variables.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; } = environment;

    /// <summary>Whether JSON was asked for (<c>-o json</c> or <c>--json</c>).</summary>
    public bool Json(ParseResult parse) => Format(parse) == OutputFormat.Json;

    /// <summary>The output format asked for: <c>-o</c>, else <c>--json</c>, else a table.</summary>
    public OutputFormat Format(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var chosen = parse.GetValue(OutputOption);
        if (parse.GetValue(JsonOption))
        {
            return chosen is null or OutputFormat.Json
                ? OutputFormat.Json
                : throw new FedctlException($"--json and -o {chosen.Value.ToString().ToLowerInvariant()} contradict each other; give one of them", ExitCodes.Usage);
        }

        return chosen ?? OutputFormat.Table;
    }

    /// <summary>Writes <paramref name="json"/> indented on standard output.</summary>
    public void WriteJson(JsonNode? json) => Output.WriteLine(json?.ToJsonString(Indented) ?? "null");

    /// <summary>The resolved connection settings.</summary>
    public FedctlSettings Settings(ParseResult parse) => FedctlSettings.Resolve(parse.GetValue(Url), parse.GetValue(Token), Environment);

    /// <summary>Runs <paramref name="action"/> with an API client; a <see cref="FedctlException"/> becomes its message and exit code.</summary>
    public async Task<int> RunAsync(ParseResult parse, Func<ApiClient, TextWriter, Task<int>> action, CancellationToken cancellationToken)
    {
        FedctlSettings? settings = null;
        try
        {
            Format(parse);
            settings = Settings(parse);
            using var api = new ApiClient(settings);
            return await action(api, Output);
        }
        catch (FedctlException e)
        {
            await Error.WriteLineAsync($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (settings is not null && e is NullReferenceException or InvalidOperationException or KeyNotFoundException or FormatException or JsonException)
        {
            // JSON of another shape than a nation's answers (a JSON service that is not a nation, or
            // a silo of another version): one line, not a stack trace.
            await Error.WriteLineAsync($"error: {settings.Url} answered JSON that is not shaped as a nation's user API answers ({e.GetType().Name}: {e.Message}); {WrongEndpoint.Expected} (url from {settings.UrlSource})");
            return ExitCodes.WrongEndpoint;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Error.WriteLineAsync("cancelled");
            return ExitCodes.Failure;
        }
    }

    private static Option<OutputFormat?> CreateOutputOption()
    {
        var option = new Option<OutputFormat?>("--output", "-o")
        {
            Description = "table (default), wide (more columns, nothing cut) or json (the API's JSON, for scripts)",
            HelpName = "table|wide|json",
            Recursive = true,
            CustomParser = ParseFormat,
        };
        option.CompletionSources.Clear();
        option.CompletionSources.Add("table", "wide", "json");
        return option;
    }

    private static OutputFormat? ParseFormat(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        if (Enum.TryParse<OutputFormat>(text, ignoreCase: true, out var format) && Enum.IsDefined(format) && !char.IsAsciiDigit(text.FirstOrDefault()))
        {
            return format;
        }

        result.AddError($"-o/--output takes table, wide or json, not '{text}'");
        return null;
    }
}
