using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Federation.Execution.Slurm;

/// <summary>
/// The Slurm client tools (<c>sbatch</c>, <c>squeue</c>, <c>scontrol</c>, <c>scancel</c>) for one
/// cluster, named by its <c>slurm.conf</c> (passed as <c>SLURM_CONF</c>). Arguments go to the tools
/// as a list, never through a shell; each command is killed after the timeout. Thread-safe.
/// </summary>
public sealed partial class SlurmCli
{
    private readonly TimeSpan _commandTimeout;
    private readonly ILogger _logger;

    /// <summary>Creates the wrapper.</summary>
    /// <param name="slurmConf">The cluster's <c>slurm.conf</c> (what <c>infra/slurm/slurm-up.sh</c> prints).</param>
    /// <param name="commandTimeout">How long one command may take before it is killed and <see cref="SlurmException"/> thrown.</param>
    /// <param name="logger">Where failed and slow commands are logged; none by default.</param>
    public SlurmCli(string slurmConf, TimeSpan commandTimeout, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(slurmConf);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(commandTimeout, TimeSpan.Zero);
        SlurmConf = slurmConf;
        _commandTimeout = commandTimeout;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The cluster's <c>slurm.conf</c>.</summary>
    public string SlurmConf { get; }

    /// <summary>Submits a batch job with <c>sbatch --parsable</c>; returns its id.</summary>
    /// <exception cref="SlurmException">sbatch refused the job, failed or timed out, or <see cref="SlurmSubmission.RunAsUser"/> does not exist.</exception>
    public async Task<string> SubmitAsync(SlurmSubmission s, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentException.ThrowIfNullOrWhiteSpace(s.JobName);
        ArgumentException.ThrowIfNullOrWhiteSpace(s.ScriptPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(s.WorkingDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(s.StdoutPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(s.StderrPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(s.TimeMinutes, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(s.Nice);

        List<string> arguments =
        [
            "--parsable",
            $"--job-name={s.JobName}",
            $"--chdir={s.WorkingDirectory}",
            $"--output={s.StdoutPath}",
            $"--error={s.StderrPath}",
        ];
        if (!string.IsNullOrWhiteSpace(s.Partition))
        {
            arguments.Add($"--partition={s.Partition}");
        }

        if (!string.IsNullOrWhiteSpace(s.Gres))
        {
            arguments.Add($"--gres={s.Gres}");
        }

        arguments.Add($"--time={s.TimeMinutes.ToString(CultureInfo.InvariantCulture)}");
        if (s.Nice > 0)
        {
            // Positive only: an unprivileged account may lower its jobs' priority, not raise it.
            arguments.Add($"--nice={s.Nice.ToString(CultureInfo.InvariantCulture)}");
        }

        if (!string.IsNullOrWhiteSpace(s.RunAsUser))
        {
            var gid = await PrimaryGroupAsync(s.RunAsUser, ct);
            arguments.Add($"--uid={s.RunAsUser}");
            arguments.Add($"--gid={gid}");
        }

        // A script path starting with '-' would be read as an option.
        arguments.Add(Path.GetFullPath(s.ScriptPath));

        var result = await RunAsync("sbatch", arguments, ct);
        result.ThrowIfFailed();
        return SlurmOutput.ParseSubmittedId(result.Stdout)
            ?? throw new SlurmException(result.Command, result.ExitCode, result.Stderr, $"printed no job id (stdout: '{result.Stdout.Trim()}')");
    }

    /// <summary>
    /// The jobs named exactly <paramref name="name"/> that Slurm still knows, in any state (pending,
    /// running, and finished ones until <c>MinJobAge</c> has passed).
    /// </summary>
    public async Task<IReadOnlyList<SlurmJob>> FindByNameAsync(string name, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);

        // squeue's --name takes a comma-separated list: a name with a comma is filtered here alone.
        string[] byName = name.Contains(',', StringComparison.Ordinal) ? [] : [$"--name={name}"];
        var jobs = await QueueAsync(byName, ct);
        return [.. jobs.Where(j => j.Name == name)];
    }

    /// <summary>Every job Slurm still knows (any state, any user) whose name starts with <paramref name="namePrefix"/>.</summary>
    public async Task<IReadOnlyList<SlurmJob>> ListAsync(string namePrefix, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(namePrefix);
        var jobs = await QueueAsync([], ct);
        return [.. jobs.Where(j => j.Name.StartsWith(namePrefix, StringComparison.Ordinal))];
    }

    /// <summary>
    /// The job <paramref name="jobId"/> from <c>scontrol show job</c>: pending, running, or finished
    /// until <c>MinJobAge</c> has passed; null when Slurm does not know the id (any more).
    /// </summary>
    public async Task<SlurmJob?> GetAsync(string jobId, CancellationToken ct)
    {
        RequireJobId(jobId);
        var result = await RunAsync("scontrol", ["show", "job", "-o", jobId], ct);
        if (result.ExitCode != 0 && result.Stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        result.ThrowIfFailed();
        return SlurmOutput.ParseScontrolJob(result.Stdout, jobId);
    }

    /// <summary>Cancels the job <paramref name="jobId"/> (<c>scancel</c>); a job that has already ended or that Slurm does not know is no error.</summary>
    public async Task CancelAsync(string jobId, CancellationToken ct)
    {
        RequireJobId(jobId);
        var result = await RunAsync("scancel", [jobId], ct);
        if (result.ExitCode != 0
            && (result.Stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)
                || result.Stderr.Contains("already completing or completed", StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        result.ThrowIfFailed();
    }

    /// <summary>
    /// Sends SIGUSR1 to the batch script of job <paramref name="jobId"/> and every process it started
    /// (<c>scancel --full --signal=USR1</c>: without <c>--full</c> Slurm signals only the job's steps, and the
    /// workload of a batch script that runs it without <c>srun</c> is not in a step; <c>--batch</c> would reach
    /// the script's shell alone, which cannot pass it on while it waits for the workload). The job goes on;
    /// one that has already ended or that Slurm does not know is no error.
    /// </summary>
    public async Task SignalCheckpointAsync(string jobId, CancellationToken ct)
    {
        RequireJobId(jobId);
        var result = await RunAsync("scancel", ["--full", "--signal=USR1", jobId], ct);
        if (result.ExitCode != 0
            && (result.Stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)
                || result.Stderr.Contains("already completing or completed", StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        result.ThrowIfFailed();
    }

    /// <summary>
    /// GPUs per type (total and held by jobs) over the nodes that can run jobs (neither down nor
    /// drained), of <paramref name="partition"/> when given, from <c>scontrol show node -o -d</c>.
    /// </summary>
    public async Task<IReadOnlyList<SlurmGres>> GresAsync(string? partition, CancellationToken ct)
    {
        var result = await RunAsync("scontrol", ["show", "node", "-o", "-d"], ct);
        result.ThrowIfFailed();
        return SlurmOutput.ParseNodeGres(result.Stdout, string.IsNullOrWhiteSpace(partition) ? null : partition);
    }

    private async Task<IReadOnlyList<SlurmJob>> QueueAsync(IEnumerable<string> filter, CancellationToken ct)
    {
        var result = await RunAsync("squeue", ["--noheader", "--all", "--states=all", .. filter, $"--Format={SlurmOutput.SqueueFormat}"], ct);
        result.ThrowIfFailed();
        return SlurmOutput.ParseSqueue(result.Stdout);
    }

    private async Task<string> PrimaryGroupAsync(string user, CancellationToken ct)
    {
        var result = await RunAsync("id", ["-g", "--", user], ct);
        var gid = result.Stdout.Trim();
        if (result.ExitCode != 0 || gid.Length == 0 || !gid.All(char.IsAsciiDigit))
        {
            throw new SlurmException(result.Command, result.ExitCode, result.Stderr, $"found no primary group for the account '{user}' to run the job as");
        }

        return gid;
    }

    private static void RequireJobId(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (!SlurmOutput.IsJobId(jobId))
        {
            throw new ArgumentException($"'{jobId}' is not a Slurm job id.", nameof(jobId));
        }
    }

    private async Task<CommandResult> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(tool)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SLURM_CONF"] = SlurmConf;
        var command = $"SLURM_CONF={SlurmConf} {tool} {string.Join(' ', arguments.Select(Quote))}";
        var clock = Stopwatch.StartNew();

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            throw new SlurmException(command, null, "", $"could not be started ({e.Message}; are the Slurm client tools installed?)", e);
        }

        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(_commandTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            var result = new CommandResult(command, process.ExitCode, await stdout, await stderr);
            if (result.ExitCode != 0)
            {
                LogFailed(_logger, command, result.ExitCode, result.Stderr);
            }
            else if (clock.Elapsed > _commandTimeout / 2)
            {
                LogSlow(_logger, command, clock.Elapsed);
            }

            return result;
        }
        catch (OperationCanceledException e)
        {
            Kill(process);
            ct.ThrowIfCancellationRequested();
            LogTimedOut(_logger, command, _commandTimeout);
            throw new SlurmException(command, null, "", $"timed out after {_commandTimeout.TotalSeconds:0.#} s and was killed", e);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // It ended meanwhile, or cannot be killed: nothing more to do about it.
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '=' or '/' or '.' or ':' or ',' or '%')
            ? argument
            : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slurm command {Command} exited with {ExitCode}: {Stderr}")]
    private static partial void LogFailed(ILogger logger, string command, int exitCode, string stderr);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slurm command {Command} took {Elapsed}")]
    private static partial void LogSlow(ILogger logger, string command, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slurm command {Command} timed out after {Timeout} and was killed")]
    private static partial void LogTimedOut(ILogger logger, string command, TimeSpan timeout);

    private sealed record CommandResult(string Command, int ExitCode, string Stdout, string Stderr)
    {
        public void ThrowIfFailed()
        {
            if (ExitCode != 0)
            {
                throw new SlurmException(Command, ExitCode, Stderr, $"exited with code {ExitCode}");
            }
        }
    }
}
