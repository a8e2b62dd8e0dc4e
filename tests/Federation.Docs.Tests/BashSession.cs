using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace Federation.Docs.Tests;

/// <summary>
/// One bash process that runs commands one after the other, as a user typing them would: what one
/// command exports, the next one sees. Each command is written to a file and sourced with its
/// standard input closed (so that nothing it runs reads the commands that follow), then a marker
/// line carries its exit status back; standard error goes to the same stream, so output keeps its order.
/// </summary>
public sealed class BashSession : IAsyncDisposable
{
    private const string Marker = "__federation_tour_exit__";

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly string _scripts;
    private readonly Task _reader;
    private int _count;
    private bool _killed;

    private BashSession(Process process, string scripts)
    {
        _process = process;
        _scripts = scripts;
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>Starts bash (no profile, no rc files) in <paramref name="workingDirectory"/>, with these variables added to this process's environment.</summary>
    public static BashSession Start(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("bash", ["--noprofile", "--norc"])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("bash could not be started");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.StandardInput.AutoFlush = true;
        process.StandardInput.WriteLine("exec 2>&1");
        return new BashSession(process, Directory.CreateTempSubdirectory("bash-session-").FullName);
    }

    /// <summary>
    /// Runs <paramref name="command"/> and waits for it to end, at most <paramref name="timeout"/>;
    /// after a timeout the session is killed (with everything it started) and later commands fail at once.
    /// </summary>
    public async Task<StepResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var output = new StringBuilder();
        if (_killed)
        {
            return new StepResult(null, "(the session was killed when an earlier command timed out)", TimedOut: false);
        }

        if (_process.HasExited)
        {
            return new StepResult(null, $"(the shell has exited with status {_process.ExitCode})", TimedOut: false);
        }

        var step = ++_count;
        var script = Path.Combine(_scripts, $"step-{step}.sh");
        await File.WriteAllTextAsync(script, command + "\n", cancellationToken);
        var marker = $"{Marker}{step}=";
        await _process.StandardInput.WriteLineAsync($"source '{script}' </dev/null; printf '%s%s\\n' '{marker}' \"$?\"");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(deadline.Token))
            {
                var at = line.IndexOf(marker, StringComparison.Ordinal);
                if (at < 0)
                {
                    output.AppendLine(line);
                    continue;
                }

                if (at > 0)
                {
                    output.AppendLine(line[..at]);
                }

                return new StepResult(int.Parse(line[(at + marker.Length)..], CultureInfo.InvariantCulture), output.ToString(), TimedOut: false);
            }

            return new StepResult(null, output.Append("(the shell exited)").ToString(), TimedOut: false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            return new StepResult(null, output.ToString(), TimedOut: true);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await _process.StandardInput.WriteLineAsync("exit");
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The shell went away on its own: nothing to tell it.
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                Kill();
            }
        }

        try
        {
            // A background process that kept the shell's output open must not hold the test forever.
            await _reader.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // Its lines are no longer read by anyone; the test has its result.
        }

        _process.Dispose();
        Directory.Delete(_scripts, recursive: true);
    }

    private void Kill()
    {
        _killed = true;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            await _lines.Writer.WriteAsync(line);
        }

        _lines.Writer.Complete();
    }
}
