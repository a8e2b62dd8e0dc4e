using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution;
using Federation.Execution.Slurm;
using Federation.Execution.Staging;
using Federation.Execution.Workloads;
using Federation.Contracts.Grains;
using Federation.Grains.Execution;
using Federation.Lifecycle.Executions;
using Federation.Lifecycle.Shares;
using Federation.Reference;
using Federation.Routing.Accelerators;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Jobs;

/// <summary>
/// The effects of one execution that touch the machine: the launch facts, staging, the executors'
/// start, poll and stop. Staging, start, poll and stop are called
/// outside the grain's turn; each answers with the decider's input.
/// </summary>
public sealed partial class ExecutionRunner(
    JobRef job,
    int epoch,
    ExecutorSettings executor,
    WorkloadCatalogue workloads,
    NationCapacity capacity,
    ReferenceTables reference,
    IDatasetStager stager,
    ExecutorRegistry executors,
    SlurmExecutor slurm,
    ILogger logger,
    string holder = "",
    IShareFactSource? shares = null)
{
    private static readonly TimeSpan s_rankFreshFor = TimeSpan.FromSeconds(1);
    private StagingResult? _staged;
    private bool _inLine;
    private (DateTimeOffset At, WaitRank Rank)? _rank;

    /// <summary>
    /// The workload's standing and the pools' capacity now, as this run sees it in line for the agent-managed
    /// accelerators that fit it (<see cref="NationCapacity.WaitingLinesAsync"/>),
    /// ranked by <see cref="WaitingOrder"/> on the share facts.
    /// </summary>
    public async Task<LaunchFacts> FactsAsync(NationCode local, ExecutionRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        var spec = record.Spec;
        var workload = workloads.Find(spec.Workload);
        var pools = await capacity.PoolLinesAsync(reference);
        var models = pools.Where(p => !p.Slurm && AcceleratorFit.Fits(spec.Accelerators, p.Slug, p.Total, reference)).Select(p => p.Slug).Distinct().ToImmutableArray();
        if (holder.Length > 0 && !models.IsEmpty)
        {
            var rank = await RankAsync(local, record, pools, now);
            pools = await capacity.WaitingLinesAsync(reference, holder, new WaitClaim(models, spec.Accelerators.Count, rank.Band, rank.Priority));
            _inLine = true;
        }
        else if (shares is not null && pools.Any(p => p.Slurm && AcceleratorFit.Fits(spec.Accelerators, p.Slug, p.Total, reference)))
        {
            // A Slurm pool keeps its own queue: the rank goes with the submission as its nice value (StartAsync).
            await RankAsync(local, record, pools, now);
        }

        return new LaunchFacts(local, workload is not null, workload?.IsSimulated ?? true, pools);
    }

    /// <summary>
    /// The input of a tick of <paramref name="state"/>: with the facts for placing its run when it wants them, or
    /// <see cref="LaunchFactsFailed"/> when they could not be read, so that it looks again after its recheck.
    /// </summary>
    public async Task<ExecutionInput> TickAsync(NationCode local, ExecutionState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.WantsLaunchFactsAt(now))
        {
            return new Tick();
        }

        try
        {
            return new Tick(await FactsAsync(local, state.Record!, now));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ExecutionLog.LaunchPostponed(logger, job, epoch, e.Message);
            return new LaunchFactsFailed(e.Message);
        }
    }

    /// <summary>Takes this run out of the line for accelerators, when it was in it (it stopped waiting).</summary>
    public async Task LeaveLineAsync()
    {
        if (_inLine)
        {
            _inLine = false;
            await capacity.LeaveLineAsync(holder);
        }
    }

    private async Task<WaitRank> RankAsync(NationCode local, ExecutionRecord record, ImmutableArray<PoolLine> pools, DateTimeOffset now)
    {
        if (_rank is { } known && now - known.At < s_rankFreshFor)
        {
            return known.Rank;
        }

        var foreign = job.Origin != local;
        var offer = new JobOffer { Job = job, Epoch = epoch, Spec = record.Spec, LeaseSeconds = record.LeaseSeconds };
        var facts = shares is null ? null : await shares.GatherAsync(offer, foreign, pools.Sum(p => p.Total), pools.Sum(p => p.Free));
        var rank = WaitingOrder.RankOf(AdmissionRules.ShareRequestOf(offer, foreign), facts);
        _rank = (now, rank);
        return rank;
    }

    /// <summary>
    /// Charges this epoch's run in the shares ledger: <paramref name="offer"/> was admitted on <paramref name="facts"/>. The
    /// charge's write is queued before the first await, so that a caller inside a write grouping commits it with its own writes.
    /// </summary>
    public Task ChargeAsync(JobOffer offer, bool foreign, ShareFacts facts) => shares is null
        ? Task.CompletedTask
        : shares.AdmittedAsync(offer, ShareRules.Decide(AdmissionRules.ShareRequestOf(offer, foreign), facts), facts);

    /// <summary>
    /// Tells the shares feature that this epoch of <paramref name="record"/> ended after running <paramref name="elapsed"/> and
    /// its accelerators are released, so that it is no longer counted as held and is charged what it used: its executor's run
    /// hours times its accelerators (none when it never started). A failure is logged and changes nothing else: the run then
    /// counts as held until its walltime, and keeps its estimate as its charge.
    /// </summary>
    public async Task EndedAsync(ExecutionRecord record, TimeSpan elapsed)
    {
        if (shares is null)
        {
            return;
        }

        try
        {
            var used = record.Run is { } run && record.StartedAt is not null ? executors.For(run).RunHours(RequestOf(record, run), elapsed) * record.Spec.Accelerators.Count : 0;
            await shares.EndedAsync(job, epoch, used);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogEndedFailed(logger, job, epoch, e.Message);
        }
    }

    /// <summary>Stages the inputs of <paramref name="record"/> for <paramref name="run"/>.</summary>
    public async Task<ExecutionInput> StageAsync(ExecutionRecord record, ExecutionRun run)
    {
        if (ExecutorKinds.KindOf(run) == ExecutorKind.Simulated && record.Spec.Inputs.IsDefaultOrEmpty)
        {
            return new StagingDone(0, "");
        }

        try
        {
            var directory = Directory();
            if (ExecutorKinds.KindOf(run) != ExecutorKind.Simulated)
            {
                ExecutorFiles.Create(directory);
            }

            if (ExecutorKinds.KindOf(run) == ExecutorKind.Federated)
            {
                // A federated job's inputs are trained where they live: nothing of them comes here.
                return new StagingDone(0, "inputs stay home: each data nation trains on its own");
            }

            var staging = await stager.StageAsync(record.Spec, directory, CancellationToken.None);
            _staged = staging.Succeeded ? staging : null;
            return staging.Succeeded ? new StagingDone(staging.TransferredBytes, staging.Reason) : new StagingFailed(staging.Reason);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new StagingFailed(e.Message);
        }
    }

    /// <summary>Starts <paramref name="run"/> with its executor, staging again first if this activation did not stage.</summary>
    public async Task<ExecutionInput> StartAsync(ExecutionRecord record, ExecutionRun run)
    {
        if (workloads.Find(record.Spec.Workload) is not { } workload)
        {
            return new RunStartFailed($"workload {record.Spec.Workload} is no longer on the allow-list");
        }

        try
        {
            var inputs = _staged?.Inputs ?? (await StageAsync(record, run) is StagingFailed failed ? throw new IOException(failed.Reason) : _staged?.Inputs ?? []);
            var directory = Directory();
            var request = new RunRequest(job, epoch, record.Spec, workload, directory, PoolOf(run), record.Accelerator!.Value, inputs)
            {
                Nice = _rank is { } ranked ? WaitingOrder.SlurmNice(ranked.Rank) : 0,
            };
            var (handle, status) = await executors.For(run).StartAsync(request, CancellationToken.None);
            return new RunStarted(handle, directory.Path, Observed(status));
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException or UnauthorizedAccessException or SlurmException)
        {
            return new RunStartFailed(e.Message);
        }
    }

    /// <summary>Asks the executor about <paramref name="run"/> (the simulated one answers at once from its model of time).</summary>
    public async Task<ExecutionInput> PollAsync(ExecutionRecord record, ExecutionRun run)
    {
        try
        {
            var request = RequestOf(record, run) with { StartedAt = record.StartedAt };
            return new RunPolled(Observed(await executors.For(run).PollAsync(request, run.Handle, CancellationToken.None)));
        }
        catch (Exception e) when (e is IOException or TimeoutException or SlurmException)
        {
            // The executor could not be asked (Slurm busy, a file in the way): ask again at the next poll.
            LogPollFailed(logger, job, epoch, run.Executor, e.Message);
            return new RunPollFailed(e.Message);
        }
    }

    /// <summary>Signals <paramref name="run"/>'s workload to checkpoint; it goes on running.</summary>
    public Task SignalCheckpointAsync(ExecutionRecord record, ExecutionRun run) =>
        executors.For(run).SignalCheckpointAsync(RequestOf(record, run), run.Handle, CancellationToken.None);

    /// <summary>Stops <paramref name="run"/> for good.</summary>
    public Task StopAsync(ExecutionRecord record, ExecutionRun run) =>
        executors.For(run).StopAsync(RequestOf(record, run), run.Handle, CancellationToken.None);

    /// <summary>
    /// Stops what runs outside the grain and should not be running: a detached run of an execution
    /// that is not live (fenced, finished), or Slurm jobs of an execution never admitted here. A live
    /// execution is followed by its grain's timer instead.
    /// </summary>
    public async Task ReconcileAsync(ExecutionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Live)
        {
            return;
        }

        if (state.Record is { Run: { } run } record && executors.For(run).Detached)
        {
            await StopAsync(record, run);
        }
        else if (state.Record is null)
        {
            await CancelOrphansAsync();
        }
    }

    /// <summary>Cancels Slurm jobs with this execution's name in every Slurm pool (a run with no admitted execution here).</summary>
    public async Task CancelOrphansAsync()
    {
        foreach (var pool in executor.Pools.Where(p => p.Kind == NodePoolKind.Slurm))
        {
            if (await slurm.CancelByNameAsync(pool, job, epoch, null, CancellationToken.None) > 0)
            {
                LogOrphan(logger, job, epoch, pool.Name);
            }
        }
    }

    private static ObservedRun Observed(RunStatus status) =>
        new(Enum.Parse<ObservedPhase>(status.Phase.ToString()), status.Reason, status.ExitCode, status.Progress, status.Ran, status.SteadyUntil);

    private NodePool PoolOf(ExecutionRun run) => executor.Pools.FirstOrDefault(p => p.Name == run.Pool) ?? NodePool.DefaultAgent;

    /// <summary>The request <paramref name="run"/> of <paramref name="record"/> was started with (no staged inputs).</summary>
    public RunRequest RequestOf(ExecutionRecord record, ExecutionRun run)
    {
        var workload = workloads.Find(record.Spec.Workload) ?? new WorkloadDefinition { Name = record.Spec.Workload.Name, Version = record.Spec.Workload.Version };
        return new RunRequest(job, epoch, record.Spec, workload, run.Directory is { } path ? new JobDirectory(path) : Directory(), PoolOf(run), record.Accelerator ?? default, ImmutableArray<StagedInput>.Empty);
    }

    private JobDirectory Directory() => JobDirectory.For(executor.WorkRoot, job, epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} epoch {Epoch}: the {Executor} executor could not be asked about the run (asking again): {Error}")]
    private static partial void LogPollFailed(ILogger logger, JobRef job, int epoch, string executor, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} epoch {Epoch}: its end could not be recorded in the usage ledger (it counts as held until its walltime): {Error}")]
    private static partial void LogEndedFailed(ILogger logger, JobRef job, int epoch, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} epoch {Epoch}: a Slurm job of pool {Pool} with its name had no admitted execution here; cancelled")]
    private static partial void LogOrphan(ILogger logger, JobRef job, int epoch, string pool);
}
