using System.Diagnostics;

namespace Federation.Benchmarks;

/// <summary>Runs a command to its end and returns its exit code and output (both streams drained, so a full pipe never blocks it).</summary>
internal static class ProcessRun
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/> and <paramref name="environment"/>.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Runs the command and throws with its output when it fails.</summary>
    public static async Task<string> CheckedAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var list = arguments.ToList();
        var (code, output, error) = await RunAsync(file, list, environment);
        return code == 0
            ? output
            : throw new InvalidOperationException($"{file} {string.Join(' ', list)} exited with {code}: {error.Trim()} {output.Trim()}");
    }
}
