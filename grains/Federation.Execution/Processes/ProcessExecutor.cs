using System.Globalization;
using Federation.Execution.Workloads;
using Microsoft.Extensions.Logging;

namespace Federation.Execution.Processes;

/// <summary>
/// Runs a workload as a detached runner per job (its own session, started with <c>setsid</c>), so
/// that it outlives the silo: the runner writes its pid and, when the workload ends, its exit code
/// into the job directory, and a restarted silo re-attaches by reading them. The workload runs as
/// the configured unprivileged account, with the walltime enforced by <c>timeout</c>.
/// </summary>
public sealed partial class ProcessExecutor(ExecutorSettings settings, TimeProvider time, ILogger<ProcessExecutor> logger) : IRunExecutor
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_startGrace = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public ExecutorKind Kind => ExecutorKind.Process;

    /// <inheritdoc />
    public bool Detached => true;

    /// <inheritdoc />
    public double RunHours(RunRequest request, TimeSpan elapsed) => Math.Max(0, elapsed.TotalHours);

    /// <inheritdoc />
    public async Task<(string? Handle, RunStatus Status)> StartAsync(RunRequest request, CancellationToken cancellationToken)
    {
        var directory = request.Directory;
        if (File.Exists(directory.PidFile) || File.Exists(directory.ExitFile))
        {
            // Started before a restart, recorded or not: adopt it, never run it again.
            var handle = File.Exists(directory.PidFile) ? (await File.ReadAllTextAsync(directory.PidFile, cancellationToken)).Trim() : null;
            LogAdopted(logger, request.Job, request.Epoch, handle ?? "(ended)");
            return (handle, await PollAsync(request, handle, cancellationToken));
        }

        if (await WorkloadCatalogue.CopyVerifiedAsync(request.Workload, directory.Workload, cancellationToken) is { } mismatch)
        {
            LogRefused(logger, request.Job, request.Epoch, mismatch);
            return (null, new RunStatus(RunPhase.Failed, $"refused to run: {mismatch}"));
        }

        await RunScript.WriteParametersAsync(request, cancellationToken);
        await File.WriteAllTextAsync(directory.Script, RunScript.ProcessRunner(request, settings.RunAs), cancellationToken);
        if (settings.RunAs is { } account)
        {
            await ExecutorFiles.GiveOutputsAsync(directory, account, cancellationToken);
        }

        var (code, _, error) = await ExternalCommand.RunAsync("setsid", ["-f", "/bin/sh", directory.Script], s_commandTimeout, cancellationToken);
        if (code != 0)
        {
            return (null, new RunStatus(RunPhase.Failed, $"the runner could not be started (setsid exited {code}: {error.Trim()})"));
        }

        LogStarted(logger, request.Job, request.Epoch, request.Workload.Key, directory.Path, settings.RunAs?.Name ?? Environment.UserName);
        return (null, new RunStatus(RunPhase.Running, $"running {request.Workload.Key} as {settings.RunAs?.Name ?? Environment.UserName}"));
    }

    /// <inheritdoc />
    public async Task<RunStatus> PollAsync(RunRequest request, string? handle, CancellationToken cancellationToken)
    {
        var directory = request.Directory;
        if (await ExecutorFiles.ReadExitCodeAsync(directory, cancellationToken) is { } exitCode)
        {
            return RunStatus.Exited(exitCode, request.WalltimeSeconds);
        }

        var pid = handle ?? (File.Exists(directory.PidFile) ? (await File.ReadAllTextAsync(directory.PidFile, cancellationToken)).Trim() : null);
        if (pid is not null && IsRunner(pid, directory))
        {
            return new RunStatus(RunPhase.Running, $"running (runner pid {pid})");
        }

        // The runner may exit between the two reads: look at the exit file once more.
        if (await ExecutorFiles.ReadExitCodeAsync(directory, cancellationToken) is { } late)
        {
            return RunStatus.Exited(late, request.WalltimeSeconds);
        }

        var age = time.GetUtcNow() - File.GetCreationTimeUtc(directory.Script);
        return pid is null && File.Exists(directory.Script) && age < s_startGrace
            ? new RunStatus(RunPhase.Running, "starting")
            : new RunStatus(RunPhase.Lost, $"the runner{(pid is null ? "" : $" (pid {pid})")} is gone and left no exit code in {directory.Path} (was the machine restarted?)");
    }

    /// <inheritdoc />
    public async Task StopAsync(RunRequest request, string? handle, CancellationToken cancellationToken)
    {
        var pid = handle ?? (File.Exists(request.Directory.PidFile) ? (await File.ReadAllTextAsync(request.Directory.PidFile, cancellationToken)).Trim() : null);
        if (pid is null || !IsRunner(pid, request.Directory))
        {
            return;
        }

        // The runner leads its own session: signal everything in it (timeout forwards to the workload).
        await ExternalCommand.RunAsync("pkill", ["-TERM", "-s", pid], s_commandTimeout, cancellationToken);
        LogStopped(logger, request.Job, request.Epoch, pid);
        _ = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), time, CancellationToken.None);
            if (IsRunner(pid, request.Directory))
            {
                await ExternalCommand.RunAsync("pkill", ["-KILL", "-s", pid], s_commandTimeout, CancellationToken.None);
            }
        }, CancellationToken.None);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The signal goes to the workload alone: the runner's shell and <c>timeout</c> (the runner's child, the
    /// workload's parent) would die of SIGUSR1, whose default action ends a process.
    /// </remarks>
    public async Task SignalCheckpointAsync(RunRequest request, string? handle, CancellationToken cancellationToken)
    {
        var pid = handle ?? (File.Exists(request.Directory.PidFile) ? (await File.ReadAllTextAsync(request.Directory.PidFile, cancellationToken)).Trim() : null);
        if (pid is null || !IsRunner(pid, request.Directory))
        {
            return;
        }

        var (_, children, _) = await ExternalCommand.RunAsync("pgrep", ["-P", pid], s_commandTimeout, cancellationToken);
        var timeouts = children.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (timeouts.Length == 0)
        {
            return;
        }

        var (code, _, _) = await ExternalCommand.RunAsync("pkill", ["-USR1", "-P", string.Join(',', timeouts)], s_commandTimeout, cancellationToken);
        LogSignalled(logger, request.Job, request.Epoch, pid, code == 0);
    }

    private static bool IsRunner(string pid, JobDirectory directory)
    {
        if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        try
        {
            // A recycled pid belongs to another program: the runner's command line names its script.
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return commandLine.Contains(directory.Script, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started job {Job} epoch {Epoch} ({Workload}) in {Directory} as {Account}")]
    private static partial void LogStarted(ILogger logger, Federation.Contracts.Ids.JobRef job, int epoch, string workload, string directory, string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-attached to job {Job} epoch {Epoch} (runner {Pid}): it was started before, it is not started again")]
    private static partial void LogAdopted(ILogger logger, Federation.Contracts.Ids.JobRef job, int epoch, string pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AUDIT: job {Job} epoch {Epoch} not run: {Reason}")]
    private static partial void LogRefused(ILogger logger, Federation.Contracts.Ids.JobRef job, int epoch, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signalled job {Job} epoch {Epoch} to checkpoint: SIGUSR1 to the workload of runner {Pid} (delivered: {Delivered})")]
    private static partial void LogSignalled(ILogger logger, Federation.Contracts.Ids.JobRef job, int epoch, string pid, bool delivered);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped job {Job} epoch {Epoch} (runner session {Pid})")]
    private static partial void LogStopped(ILogger logger, Federation.Contracts.Ids.JobRef job, int epoch, string pid);
}
