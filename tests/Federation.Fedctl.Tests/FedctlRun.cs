namespace Federation.Fedctl.Tests;

/// <summary>Runs fedctl in this process with captured streams and a controlled environment.</summary>
public static class FedctlRun
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await FedctlApp.RunAsync(args, output, error, TextReader.Null, environment, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>An environment with no fedctl variables and a config file path that does not exist.</summary>
    public static Dictionary<string, string?> CleanEnvironment() => new(StringComparer.Ordinal)
    {
        ["FEDCTL_CONFIG"] = Path.Combine(Path.GetTempPath(), $"fedctl-test-{Guid.NewGuid():N}", "config.json"),
    };
}
