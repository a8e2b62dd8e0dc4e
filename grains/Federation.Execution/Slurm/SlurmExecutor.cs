using Federation.Execution.Workloads;
using Microsoft.Extensions.Logging;

namespace Federation.Execution.Slurm;

/// <summary>
/// Runs a workload as a Slurm batch job named <c>&lt;origin&gt;-&lt;id&gt;-e&lt;epoch&gt;</c>, with
/// <c>--gres</c> from the pool's slug-to-GRES map and <c>--time</c> from the walltime; follows it with
/// the pool's <see cref="SlurmJobWatch"/> (one <c>scontrol show job</c> or <c>squeue</c> per round for
/// every run polled meanwhile) and the exit file its batch script writes; signals it to checkpoint with
/// <c>scancel --full --signal=USR1</c> and cancels it with <c>scancel</c>.
/// Before submitting it looks the name up, so a run submitted by a silo that died before
/// recording it is adopted, never submitted twice.
/// </summary>
public sealed partial class SlurmExecutor(SlurmPools pools, ExecutorSettings settings, ILogger<SlurmExecutor> logger) : IRunExecutor
{
    /// <inheritdoc />
    public ExecutorKind Kind => ExecutorKind.Slurm;

    /// <inheritdoc />
    public bool Detached => true;

    /// <inheritdoc />
    public double RunHours(RunRequest request, TimeSpan elapsed) => Math.Max(0, elapsed.TotalHours);

    /// <inheritdoc />
    public async Task<(string? Handle, RunStatus Status)> StartAsync(RunRequest request, CancellationToken cancellationToken)
    {
        var slurm = pools.Client(request.Pool);
        var name = NodePool.SlurmJobName(request.Job, request.Epoch);
        // A job of this name still pending or running is ours (names are unique per origin, job and
        // epoch); a finished one is ours only if our batch script left its exit code here.
        var existing = await slurm.FindByNameAsync(name, cancellationToken);
        var ended = File.Exists(request.Directory.ExitFile);
        if (existing.Where(j => !j.State.IsFinished() || ended).OrderByDescending(j => !j.State.IsFinished()).FirstOrDefault() is { } known)
        {
            LogAdopted(logger, request.Job, request.Epoch, known.Id, known.State);
            return (known.Id, await PollAsync(request, known.Id, cancellationToken));
        }

        if (!request.Pool.Gres.TryGetValue(request.Accelerator.Value, out var gresType))
        {
            return (null, new RunStatus(RunPhase.Failed, $"pool {request.Pool.Name} maps no GRES type to {request.Accelerator} (Federation:Pools:*:Gres)"));
        }

        var directory = request.Directory;
        if (await WorkloadCatalogue.CopyVerifiedAsync(request.Workload, directory.Workload, cancellationToken) is { } mismatch)
        {
            LogRefused(logger, request.Job, request.Epoch, mismatch);
            return (null, new RunStatus(RunPhase.Failed, $"refused to run: {mismatch}"));
        }

        await RunScript.WriteParametersAsync(request, cancellationToken);
        await File.WriteAllTextAsync(directory.Script, RunScript.SlurmBatch(request), cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory.Script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        if (settings.RunAs is { } account)
        {
            await ExecutorFiles.GiveDirectoryAsync(directory, account, cancellationToken);
        }

        var submission = new SlurmSubmission(
            name,
            directory.Script,
            directory.Path,
            Path.Combine(directory.Path, "slurm.log"),
            Path.Combine(directory.Path, "slurm.log"),
            request.Pool.Partition,
            $"gpu:{gresType}:{request.Spec.Accelerators.Count}",
            Math.Max(1, (int)Math.Ceiling(request.WalltimeSeconds / 60.0)),
            settings.RunAs?.Name,
            request.Nice);
        string id;
        try
        {
            id = await slurm.SubmitAsync(submission, cancellationToken);
        }
        catch (SlurmException e)
        {
            return (null, new RunStatus(RunPhase.Failed, $"Slurm refused the job: {e.Message}"));
        }

        LogSubmitted(logger, request.Job, request.Epoch, id, name, submission.Gres!);
        return (id, await PollAsync(request, id, cancellationToken));
    }

    /// <inheritdoc />
    public async Task<RunStatus> PollAsync(RunRequest request, string? handle, CancellationToken cancellationToken)
    {
        // One Slurm query per round answers every execution of the pool that polls meanwhile.
        var job = handle is null ? null : await pools.Jobs(request.Pool).GetAsync(handle, cancellationToken);
        var exitCode = await ExecutorFiles.ReadExitCodeAsync(request.Directory, cancellationToken);
        if (job is null)
        {
            return exitCode is { } code
                ? RunStatus.Exited(code, request.WalltimeSeconds)
                : new RunStatus(RunPhase.Lost, $"Slurm no longer knows job {handle ?? "(none)"} and it left no exit code in {request.Directory.Path}");
        }

        return job.State switch
        {
            SlurmJobState.Pending => new RunStatus(RunPhase.Pending, $"pending in Slurm as job {job.Id} ({job.Reason})"),
            SlurmJobState.Running or SlurmJobState.Completing => new RunStatus(RunPhase.Running, $"running in Slurm as job {job.Id}"),
            SlurmJobState.Completed or SlurmJobState.Failed => RunStatus.Exited(exitCode ?? job.ExitCode ?? 1, request.WalltimeSeconds),
            SlurmJobState.Timeout => new RunStatus(RunPhase.TimedOut, $"Slurm stopped job {job.Id} at the walltime limit ({request.WalltimeSeconds / 60.0:0.#} min)", job.ExitCode),
            SlurmJobState.Cancelled => new RunStatus(RunPhase.Cancelled, $"Slurm job {job.Id} was cancelled in Slurm ({job.Reason})", job.ExitCode),
            _ => new RunStatus(RunPhase.Failed, $"Slurm job {job.Id} ended {job.State} ({job.Reason})", job.ExitCode),
        };
    }

    /// <inheritdoc />
    public async Task StopAsync(RunRequest request, string? handle, CancellationToken cancellationToken) =>
        await CancelByNameAsync(request.Pool, request.Job, request.Epoch, handle, cancellationToken);

    /// <inheritdoc />
    public async Task SignalCheckpointAsync(RunRequest request, string? handle, CancellationToken cancellationToken)
    {
        if (handle is null)
        {
            return;
        }

        await pools.Client(request.Pool).SignalCheckpointAsync(handle, cancellationToken);
        LogSignalled(logger, request.Job, request.Epoch, handle);
    }

    /// <summary>Cancels every unfinished Slurm job of this epoch (by name, and <paramref name="handle"/>); returns how many.</summary>
    public async Task<int> CancelByNameAsync(NodePool pool, Federation.Contracts.Ids.JobRef job, int epoch, string? handle, CancellationToken cancellationToken)
    {
        var slurm = pools.Client(pool);
        var name = NodePool.SlurmJobName(job, epoch);
        var ids = (await slurm.FindByNameAsync(name, cancellationToken)).Where(j => !j.State.IsFinished()).Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        if (handle is not null)
        {
            ids.Add(handle);
        }

        foreach (var id in ids)
        {
            await slurm.CancelAsync(id, cancellationToken);
            LogCancelled(logger, job, epoch, id);
        }

        return ids.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Submitted job {Job} epoch {Epoch} to Slurm as {SlurmJob} ({Name}, {Gres})")]
    private static partial void LogSubmitted(ILogger logger, Federation.Contracts.Ids.JobRef job, int epoch, string slurmJob, string name, string gres);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled job {Job} epoch {Epoch} by name with Slurm job {SlurmJob} ({State}): it is not submitted again")]
    private static partial void LogAdopted(ILogger logger, Federation.Contracts.Ids.JobRef job, int epoch, string slurmJob, SlurmJobState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AUDIT: job {Job} epoch {Epoch} not run: {Reason}")]
    private static partial void LogRefused(ILogger logger, Federation.Contracts.Ids.JobRef job, int epoch, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signalled job {Job} epoch {Epoch} to checkpoint: scancel --full --signal=USR1 {SlurmJob}")]
    private static partial void LogSignalled(ILogger logger, Federation.Contracts.Ids.JobRef job, int epoch, string slurmJob);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancelled job {Job} epoch {Epoch}: scancel {SlurmJob}")]
    private static partial void LogCancelled(ILogger logger, Federation.Contracts.Ids.JobRef job, int epoch, string slurmJob);
}
