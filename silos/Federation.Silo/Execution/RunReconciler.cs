using System.Globalization;
using System.Text.RegularExpressions;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Execution;
using Federation.Execution.Slurm;
using Federation.Silo.Hosting;

namespace Federation.Silo.Execution;

/// <summary>
/// At start-up, finds the runs that live outside the grains — runners in job directories without an
/// exit file, and Slurm jobs named <c>&lt;origin&gt;-&lt;id&gt;-e&lt;epoch&gt;</c> in each Slurm pool — and
/// tells each one's execution grain, which follows a live run again and stops one that should not
/// be running. Nothing is orphaned and nothing is started twice.
/// </summary>
public sealed partial class RunReconciler(
    IGrainFactory grains,
    ExecutorSettings settings,
    SlurmPools slurm,
    StartupState startup,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<RunReconciler> logger) : BackgroundService
{
    private static readonly TimeSpan s_readyCheck = TimeSpan.FromMilliseconds(200);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        while (!startup.IsReady)
        {
            await Task.Delay(s_readyCheck, time, stoppingToken);
        }

        var found = new HashSet<(JobRef Job, int Epoch)>();
        foreach (var run in ProcessRuns())
        {
            found.Add(run);
        }

        foreach (var pool in slurm.Pools)
        {
            try
            {
                foreach (var job in await slurm.Client(pool).ListAsync("", stoppingToken))
                {
                    if (!job.State.IsFinished() && ParseName(job.Name) is { } run)
                    {
                        found.Add(run);
                    }
                }
            }
            catch (Exception e) when (e is SlurmException or TimeoutException)
            {
                LogSlurmUnreachable(logger, pool.Name, e.Message);
            }
        }

        foreach (var (job, epoch) in found)
        {
            try
            {
                await grains.GetGrain<IExecutionGrain>($"exec-{job}/{epoch.ToString(CultureInfo.InvariantCulture)}").ReconcileAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReconcileFailed(logger, job, epoch, e.Message);
            }
        }

        LogReconciled(logger, found.Count);
    }

    /// <summary>The job and epoch a Slurm job name stands for, or null for a name of someone else's.</summary>
    public static (JobRef Job, int Epoch)? ParseName(string name)
    {
        var match = SlurmName().Match(name);
        return match.Success
            && JobRef.TryParse($"{match.Groups["origin"].Value}/{match.Groups["id"].Value}", out var job, out _)
            && int.TryParse(match.Groups["epoch"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            ? (job, epoch)
            : null;
    }

    private IEnumerable<(JobRef Job, int Epoch)> ProcessRuns()
    {
        if (!Directory.Exists(settings.WorkRoot))
        {
            yield break;
        }

        // <root>/<origin>/<id>/e<epoch>: a runner that wrote its pid but no exit code yet.
        foreach (var epochDirectory in Directory.EnumerateDirectories(settings.WorkRoot, "e*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2 }))
        {
            var directory = new JobDirectory(epochDirectory);
            if (!File.Exists(directory.PidFile) || File.Exists(directory.ExitFile))
            {
                continue;
            }

            var id = Path.GetFileName(Path.GetDirectoryName(epochDirectory)!);
            var origin = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(epochDirectory))!);
            if (JobRef.TryParse($"{origin}/{id}", out var job, out _)
                && int.TryParse(Path.GetFileName(epochDirectory)[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
            {
                yield return (job, epoch);
            }
        }
    }

    [GeneratedRegex("^(?<origin>[A-Z]{2})-(?<id>[a-z0-9][a-z0-9-]*)-e(?<epoch>[0-9]+)$")]
    private static partial Regex SlurmName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled {Count} runs found outside the grains at start-up (runners in job directories, Slurm jobs by name)")]
    private static partial void LogReconciled(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slurm pool {Pool} did not answer at start-up; its jobs are reconciled when their executions wake: {Error}")]
    private static partial void LogSlurmUnreachable(ILogger logger, string pool, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reconcile the run of {Job} epoch {Epoch}: {Error}")]
    private static partial void LogReconcileFailed(ILogger logger, JobRef job, int epoch, string error);
}
