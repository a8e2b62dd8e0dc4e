using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Federation.Fedctl.Agent;

/// <summary>
/// Measures the node's power draw with <c>nvidia-smi --query-gpu=power.draw</c>, summed over the
/// GPUs. Returns null when the binary is not on PATH or fails, so a heartbeat never waits on it
/// for long and never carries a made-up figure.
/// </summary>
public sealed class NvidiaSmiPowerSampler : IPowerSampler
{
    /// <summary>The binary's name as looked up on PATH.</summary>
    public const string ExecutableName = "nvidia-smi";

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    /// <summary>Uses <paramref name="executablePath"/>, or <c>nvidia-smi</c> from PATH when null.</summary>
    public NvidiaSmiPowerSampler(string? executablePath = null) => ExecutablePath = executablePath ?? FindOnPath();

    /// <summary>The binary used, or null when none was found.</summary>
    public string? ExecutablePath { get; }

    /// <summary>Why the last sample gave no figure, or null after a good one.</summary>
    public string? LastError { get; private set; }

    /// <inheritdoc />
    public string Description => "measured via nvidia-smi";

    /// <summary><c>nvidia-smi</c>'s full path when it is on PATH, else null.</summary>
    public static string? FindOnPath()
    {
        var names = OperatingSystem.IsWindows() ? new[] { ExecutableName + ".exe" } : [ExecutableName];
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <inheritdoc />
    public async Task<double?> SampleWattsAsync(CancellationToken cancellationToken)
    {
        if (ExecutablePath is null)
        {
            LastError = $"{ExecutableName} is not on PATH";
            return null;
        }

        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        start.ArgumentList.Add("--query-gpu=power.draw");
        start.ArgumentList.Add("--format=csv,noheader,nounits");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception($"{ExecutablePath} did not start");
        }
        catch (Win32Exception e)
        {
            LastError = $"{ExecutablePath} did not start: {e.Message}";
            return null;
        }

        using (process)
        {
            try
            {
                var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
                var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
                var output = await stdout;
                var errors = await stderr;
                if (process.ExitCode != 0)
                {
                    LastError = $"{ExecutableName} exited with {process.ExitCode}: {FirstLine(errors.Length > 0 ? errors : output)}";
                    return null;
                }

                return Parse(output);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                LastError = $"{ExecutableName} gave no answer within {s_timeout.TotalSeconds:0} s";
                return null;
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
        }
    }

    private double? Parse(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
        {
            LastError = $"{ExecutableName} listed no GPU";
            return null;
        }

        double total = 0;
        foreach (var line in lines)
        {
            // "[N/A]" or "[Not Supported]" for a GPU that does not report its draw: no figure rather than a partial sum.
            if (!double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out var watts) || !double.IsFinite(watts) || watts < 0)
            {
                LastError = $"{ExecutableName} gave '{line}' instead of a power draw in watts";
                return null;
            }

            total += watts;
        }

        LastError = null;
        return total;
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "(no output)";
}
