using System.Collections.Concurrent;
using System.Diagnostics;

namespace Federation.Testing;

/// <summary>
/// The local Slurm clusters tests run against, started (and Slurm installed when missing) by
/// <c>infra/slurm/slurm-up.sh</c> with the same names, ports and GPUs as <c>.ci/run</c>:
/// <c>fr</c> (ports 6817/6818, <c>gpu:h100:4</c>) and <c>lab</c> (ports 7817/7818, <c>gpu:a100:2</c>).
/// Needs root, like the script.
/// </summary>
public static class SlurmClusters
{
    private static readonly Dictionary<string, (int CtldPort, int SlurmdPort, string Gres)> s_known = new(StringComparer.Ordinal)
    {
        ["fr"] = (6817, 6818, "h100:4"),
        ["lab"] = (7817, 7818, "a100:2"),
    };

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> s_started = new(StringComparer.Ordinal);

    /// <summary>How long the script may take (it may install Slurm first).</summary>
    public static TimeSpan StartTimeout { get; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Makes sure the cluster <paramref name="name"/> (<c>fr</c> or <c>lab</c>) runs; returns the
    /// absolute path of its <c>slurm.conf</c>. The script runs once per process; a failure is not cached.
    /// </summary>
    public static Task<string> EnsureAsync(string name)
    {
        if (!s_known.ContainsKey(name))
        {
            throw new ArgumentException($"Unknown test Slurm cluster '{name}'; known: {string.Join(", ", s_known.Keys)}.", nameof(name));
        }

        var started = s_started.GetOrAdd(name, n => new Lazy<Task<string>>(() => StartAsync(n)));
        return AwaitAsync(name, started);
    }

    private static async Task<string> AwaitAsync(string name, Lazy<Task<string>> started)
    {
        try
        {
            return await started.Value;
        }
        catch
        {
            s_started.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(name, started));
            throw;
        }
    }

    private static async Task<string> StartAsync(string name)
    {
        var (ctldPort, slurmdPort, gres) = s_known[name];
        var script = Path.Combine(RepositoryRoot(), "infra", "slurm", "slurm-up.sh");
        var start = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { script, name, $"{ctldPort}", $"{slurmdPort}", gres })
        {
            start.ArgumentList.Add(argument);
        }

        var commandLine = $"bash {script} {name} {ctldPort} {slurmdPort} {gres}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"'{commandLine}' could not be started.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException(
                $"Slurm cluster '{name}' did not start within {StartTimeout.TotalMinutes:0} min ('{commandLine}'; killed).{Environment.NewLine}" +
                $"stdout:{Environment.NewLine}{(await stdout).Trim()}{Environment.NewLine}stderr:{Environment.NewLine}{(await stderr).Trim()}");
        }

        var output = await stdout;
        var errors = await stderr;
        var conf = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (process.ExitCode != 0 || conf is null || !Path.IsPathRooted(conf) || !File.Exists(conf))
        {
            throw new InvalidOperationException(
                $"Slurm cluster '{name}' could not be started: '{commandLine}' exited with {process.ExitCode}" +
                $" (it needs root; it installs slurm-wlm when missing).{Environment.NewLine}" +
                $"stdout:{Environment.NewLine}{output.Trim()}{Environment.NewLine}stderr:{Environment.NewLine}{errors.Trim()}");
        }

        return conf;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Federation.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Federation.sln above {AppContext.BaseDirectory}: cannot find infra/slurm/slurm-up.sh.");
    }
}
