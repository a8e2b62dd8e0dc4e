using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Execution;
using Federation.Execution.Slurm;
using Federation.Execution.Staging;
using Federation.Execution.Workloads;
using Federation.Protocol.Messages;
using Federation.Grains.Catalogue.Index;
using Federation.Grains.Execution;
using Federation.Grains.Nations;
using Federation.Reference;
using Federation.Routing;
using Federation.Routing.Accelerators;
using Federation.Routing.Energy;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Jobs;

/// <summary>
/// One epoch of a job in the nation that runs it: admission (final), allocation on GPU node
/// grains or in a Slurm pool, staging of the inputs, the run (simulated, process or Slurm executor),
/// lease renewals with the origin, and reports through a persisted outbox. It stops a run it could
/// not renew for (lease − margin) on its own monotonic clock, and stops for good (the process
/// killed, the Slurm job cancelled) when the origin fences its epoch. A run outside the grain is
/// recorded with its handle and directory, so that a restarted silo follows it instead of starting it again.
/// </summary>
[GrainType("execution")]
public sealed partial class ExecutionGrain(
    [PersistentState("execution", GrainStorageNames.Jobs)] IPersistentState<ExecutionGrainState> state,
    AdmissionPolicy admission,
    PreOfferFences fences,
    IFederationCourier courier,
    ICatalogueIndex index,
    ReferenceTables reference,
    Router router,
    LocalNation local,
    JobSettings jobs,
    ExecutorSettings executor,
    WorkloadCatalogue workloads,
    NationCapacity capacity,
    IDatasetStager stager,
    ExecutorRegistry executors,
    SlurmExecutor slurm,
    TimeProvider time,
    ILogger<ExecutionGrain> logger)
    : Grain, IExecutionGrain, IRemindable
{
    private const string Backstop = "execution-backstop";
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(250);

    private JobRef _job;
    private OutboxSender _outbox = null!;
    private int _epoch;
    private string _holder = "";
    private IGrainTimer? _timer;
    private long _leaseRenewed;
    private Guid? _renewal;
    private DateTimeOffset _nextRenewal;
    private DateTimeOffset _lastProgressReport;
    private DateTimeOffset _nextPoll;

    private ExecutionRecord? Record => state.State.Record;

    private bool Live => Record is { Admission.Admitted: true, Fenced: false } r && !Over(r.State);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _holder = this.GetPrimaryKeyString();
        var text = _holder["exec-".Length..];
        var cut = text.LastIndexOf('/');
        _job = TypedId.Parse<JobRef>(text[..cut]);
        _epoch = int.Parse(text[(cut + 1)..], CultureInfo.InvariantCulture);
        _outbox = new OutboxSender(courier, this.AsReference<IExecutionGrain>());

        // The monotonic clock restarts with the process: count from the last renewal we persisted.
        _leaseRenewed = time.GetTimestamp() - (long)((time.GetUtcNow() - (Record?.LeaseRenewedAt ?? time.GetUtcNow())).TotalSeconds * time.TimestampFrequency);
        if (Live || state.State.Outbox.Count > 0)
        {
            StartTimer();
        }

        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<ExecutionRecord?> GetAsync() => Task.FromResult(Record);

    /// <inheritdoc />
    public async Task ReconcileAsync()
    {
        if (Live)
        {
            // Activation started the timer: the run is followed from here on.
            return;
        }

        // A run outside the grain that should not be running (fenced, finished, never admitted here): stop it.
        if (Record is { Run: { } run } record && executors.For(run).Detached)
        {
            await RunnerOf(run).StopAsync(RequestOf(record, run), run.Handle, CancellationToken.None);
        }
        else if (Record is null)
        {
            foreach (var pool in executor.Pools.Where(p => p.Kind == NodePoolKind.Slurm))
            {
                if (await slurm.CancelByNameAsync(pool, _job, _epoch, null, CancellationToken.None) > 0)
                {
                    LogOrphan(logger, _job, _epoch, pool.Name);
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task<Admission> OfferAsync(NationCode from, JobOffer offer)
    {
        if (Record is { } existing)
        {
            return existing.Admission;
        }

        if (offer.Job != _job || offer.Epoch != _epoch)
        {
            return new Admission(local.Code, offer.Epoch, false, $"offer for {offer.Job} epoch {offer.Epoch} reached the execution of {_job} epoch {_epoch}");
        }

        var decided = state.State.FencedBeforeOffer || fences.IsFenced(_job, _epoch)
            ? new Admission(local.Code, offer.Epoch, false, $"epoch {offer.Epoch} of {_job} was fenced by its origin before this offer arrived")
            : await admission.DecideAsync(from, offer);

        var now = time.GetUtcNow();
        state.State.Record = new ExecutionRecord
        {
            Job = _job,
            Epoch = _epoch,
            Spec = offer.Spec,
            Admission = decided,
            State = decided.Admitted ? JobState.Admitted : JobState.Failed,
            StateReason = decided.Admitted ? decided.Reason : $"refused: {decided.Reason}",
            LeaseSeconds = offer.LeaseSeconds,
            LeaseRenewedAt = now,
            Version = 1,
        };
        await state.WriteStateAsync();
        if (decided.Admitted)
        {
            LogAdmitted(logger, _job, _epoch, from, decided.Reason);
            _leaseRenewed = time.GetTimestamp();
            _nextRenewal = now + jobs.RenewEvery;
            await this.RegisterOrUpdateReminder(Backstop, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            StartTimer();
        }

        return decided;
    }

    /// <inheritdoc />
    public async Task<bool> CancelAsync(NationCode from, JobCancellation cancellation)
    {
        if (from != _job.Origin)
        {
            return false;
        }

        if (Record is null)
        {
            // Not stored: any peer can name any job and epoch (see PreOfferFences).
            return fences.TryRemember(from, _job, _epoch);
        }

        await StopAsync(JobState.Cancelled, cancellation.Fenced ? $"fenced by {from}: {cancellation.Reason}" : $"cancelled by {from}: {cancellation.Reason}", cancellation.Fenced);
        return true;
    }

    /// <inheritdoc />
    public async Task DeliveredAsync(Guid messageId, Delivery delivery)
    {
        if (messageId == _renewal)
        {
            _renewal = null;
            await RenewedAsync(delivery);
            return;
        }

        var attempts = _outbox.Ended(messageId, delivery.Delivered, time.GetUtcNow());
        var message = state.State.Outbox.FirstOrDefault(m => m.Id == messageId);
        if (message is null)
        {
            return;
        }

        if (!delivery.Delivered)
        {
            LogNotDelivered(logger, message.Kind, _job, _epoch, attempts, delivery.Error);
            return;
        }

        state.State.Outbox.Remove(message);
        if (delivery.ReportAnswer is { Fenced: true } fenced)
        {
            await StopAsync(JobState.Cancelled, $"fenced by {_job.Origin}: {fenced.Reason}", fenced: true);
            return;
        }

        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!Live && state.State.Outbox.Count == 0)
        {
            if (await this.GetReminder(Backstop) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            return;
        }

        StartTimer();
    }

    private async Task TickAsync()
    {
        var now = time.GetUtcNow();
        _outbox.SendDue(state.State.Outbox, now);

        if (Record is not { } record || !Live)
        {
            if (state.State.Outbox.Count == 0)
            {
                StopTimer();
            }

            return;
        }

        var silence = time.GetElapsedTime(_leaseRenewed);
        var limit = TimeSpan.FromSeconds(record.LeaseSeconds) - jobs.Margin;
        if (silence > limit)
        {
            // Given back, not cancelled: the origin plans the job again with the next epoch.
            await StopAsync(JobState.Requeued, string.Create(CultureInfo.InvariantCulture,
                $"stopped: the lease could not be renewed with {_job.Origin} for {silence.TotalSeconds:0.#} s (lease {record.LeaseSeconds:0.#} s − margin {jobs.Margin.TotalSeconds:0.#} s)"), fenced: false);
            return;
        }

        if (_renewal is null && now >= _nextRenewal)
        {
            _nextRenewal = now + jobs.RenewEvery;
            var renewal = OutboxMessage.Create(_job.Origin, new RenewalMessage(new LeaseRenewal(_job, _epoch)), now);
            _renewal = renewal.Id;
            courier.Send(renewal, this.AsReference<IExecutionGrain>());
        }

        switch (record.State)
        {
            case JobState.Admitted or JobState.Queued when record.Run is null:
                await TryStartAsync(record);
                break;
            case JobState.Queued or JobState.Running when executors.For(record.Run).Detached:
                if (now >= _nextPoll)
                {
                    _nextPoll = now + executor.PollEvery;
                    await FollowAsync(record);
                }

                break;
            case JobState.Running:
                await AdvanceAsync(record, now);
                break;
        }
    }

    private async Task TryStartAsync(ExecutionRecord record)
    {
        if (workloads.Find(record.Spec.Workload) is not { } workload)
        {
            await FinishAsync(record, JobState.Failed, $"workload {record.Spec.Workload} is no longer on {local.Code}'s allow-list: nothing ran", 0, TimeSpan.Zero, null);
            return;
        }

        var want = record.Spec.Accelerators;
        var lines = await capacity.ByPoolAsync();
        var choice = AcceleratorFit.Best(lines.Where(l => !workload.IsSimulated || l.Pool.Kind == NodePoolKind.Agent), l => new AcceleratorCapacity(l.Slug, l.Free, l.Total), want, reference);
        if (choice is null || (choice.Pool.Kind == NodePoolKind.Agent && choice.Free < want.Count))
        {
            var reason = choice is null
                ? $"no pool here has {AcceleratorFit.Needs(want)} in service now"
                : $"{want.Count} x {choice.Slug} ({choice.Free} of {choice.Total} free now in pool {choice.Pool.Name})";
            if (record.State == JobState.Admitted)
            {
                await ChangeAsync(record with { State = JobState.Queued, StateReason = $"queued for {reason}" }, $"queued: waiting for {reason}");
            }

            return;
        }

        var allocations = ImmutableSortedDictionary<string, int>.Empty;
        if (choice.Pool.Kind == NodePoolKind.Agent)
        {
            if (await AllocateAsync(choice.Slug, want.Count) is not { } taken)
            {
                return;
            }

            allocations = taken;
        }

        if (workload.IsSimulated)
        {
            // The run is simulated, the data is not: inputs that can be staged are staged for real, so
            // that the bytes that crossed a border (and their energy) are measured. A simulated run
            // goes on without inputs that cannot be staged (the demo's placeholders, say).
            var staging = record.Spec.Inputs.IsDefaultOrEmpty ? null : await stager.StageAsync(record.Spec, Directory(), CancellationToken.None);
            var inputs = staging switch
            {
                null => "",
                { Succeeded: true } => $"; {staging.Reason}",
                _ => $"; inputs not staged ({staging.Reason}): no transfer counted",
            };
            var now = time.GetUtcNow();
            var message = $"running on {want.Count} x {choice.Slug} ({string.Join(", ", allocations.Select(a => $"{a.Key}: {a.Value}"))}), simulated{inputs}";
            var simulated = new ExecutionRun { Executor = ExecutorKind.Simulated.ToText(), Pool = choice.Pool.Name, StagedBytes = staging is { Succeeded: true } ? staging.TransferredBytes : 0 };
            await ChangeAsync(record with { State = JobState.Running, StateReason = message, Accelerator = choice.Slug, Allocations = allocations, StartedAt = now, Progress = 0, Run = simulated }, message, 0);
            _lastProgressReport = now;
            return;
        }

        await StartRunAsync(record with { Accelerator = choice.Slug, Allocations = allocations }, workload, choice.Pool);
    }

    private async Task StartRunAsync(ExecutionRecord record, WorkloadDefinition workload, NodePool pool)
    {
        var directory = Directory();
        ExecutorFiles.Create(directory);
        var runner = executors.For(workload, pool);
        var run = new ExecutionRun { Executor = runner.Kind.ToText(), Pool = pool.Name, Directory = directory.Path };
        var staging = await stager.StageAsync(record.Spec, directory, CancellationToken.None);
        if (!staging.Succeeded)
        {
            await FinishAsync(record with { Run = run }, JobState.Failed, $"staging failed: {staging.Reason}", 0, TimeSpan.Zero, null);
            return;
        }

        run = run with { StagedBytes = staging.TransferredBytes };
        var request = new RunRequest(_job, _epoch, record.Spec, workload, directory, pool, record.Accelerator!.Value, staging.Inputs);
        var (handle, status) = await runner.StartAsync(request, CancellationToken.None);
        run = run with { Handle = handle };
        await FollowedAsync(record with { Run = run }, status);
    }

    private async Task FollowAsync(ExecutionRecord record)
    {
        var run = record.Run!;
        RunStatus status;
        try
        {
            status = await RunnerOf(run).PollAsync(RequestOf(record, run), run.Handle, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or TimeoutException or SlurmException)
        {
            // The executor could not be asked (Slurm busy, a file in the way): ask again at the next poll.
            LogPollFailed(logger, _job, _epoch, run.Executor, e.Message);
            return;
        }

        await FollowedAsync(record, status);
    }

    private async Task FollowedAsync(ExecutionRecord record, RunStatus status)
    {
        var now = time.GetUtcNow();
        switch (status.Phase)
        {
            case RunPhase.Pending:
                if (record.State != JobState.Queued || record.StateReason != status.Reason || record.Run != Record?.Run)
                {
                    await ChangeAsync(record with { State = JobState.Queued, StateReason = status.Reason }, $"queued: {status.Reason}");
                }

                break;
            case RunPhase.Running:
                if (record.State != JobState.Running || record.Run != Record?.Run)
                {
                    var message = $"running {record.Spec.Workload} on {record.Spec.Accelerators.Count} x {record.Accelerator} ({record.Run!.Executor} executor, pool {record.Run.Pool}): {status.Reason}";
                    await ChangeAsync(record with { State = JobState.Running, StateReason = message, StartedAt = record.StartedAt ?? now }, message);
                }

                break;
            default:
                var outcome = status.Phase switch
                {
                    RunPhase.Succeeded => JobState.Succeeded,
                    RunPhase.TimedOut => JobState.TimedOut,
                    RunPhase.Cancelled => JobState.Cancelled,
                    _ => JobState.Failed,
                };
                var ran = record.StartedAt is { } started ? now - started : TimeSpan.Zero;
                await FinishAsync(record, outcome, status.Reason, outcome == JobState.Succeeded ? 1 : record.Progress, ran, status.ExitCode);
                break;
        }
    }

    private IRunExecutor RunnerOf(ExecutionRun run) => executors.For(run);

    private RunRequest RequestOf(ExecutionRecord record, ExecutionRun? run)
    {
        var pool = executor.Pools.FirstOrDefault(p => p.Name == run?.Pool) ?? NodePool.DefaultAgent;
        var workload = workloads.Find(record.Spec.Workload) ?? new WorkloadDefinition { Name = record.Spec.Workload.Name, Version = record.Spec.Workload.Version };
        return new RunRequest(_job, _epoch, record.Spec, workload, run?.Directory is { } path ? new JobDirectory(path) : Directory(), pool, record.Accelerator ?? default, []) { StartedAt = record.StartedAt };
    }

    private JobDirectory Directory() => JobDirectory.For(executor.WorkRoot, _job, _epoch);

    private async Task AdvanceAsync(ExecutionRecord record, DateTimeOffset now)
    {
        var status = await executors[ExecutorKind.Simulated].PollAsync(RequestOf(record, record.Run), null, CancellationToken.None);
        var progress = status.Progress ?? 0;
        if (!status.Ended)
        {
            if (now - _lastProgressReport >= executor.ProgressEvery)
            {
                _lastProgressReport = now;
                await ChangeAsync(record with { Progress = progress }, string.Create(CultureInfo.InvariantCulture, $"running: {progress:P0}"), progress);
            }

            return;
        }

        var outcome = status.Phase switch
        {
            RunPhase.Succeeded => JobState.Succeeded,
            RunPhase.TimedOut => JobState.TimedOut,
            _ => JobState.Failed,
        };
        await FinishAsync(record, outcome, status.Reason, progress, now - record.StartedAt!.Value, status.ExitCode);
    }

    private async Task FinishAsync(ExecutionRecord record, JobState outcome, string message, double progress, TimeSpan elapsed, int? exitCode)
    {
        await ReleaseAsync(record);
        var result = await ResultAsync(record, elapsed, exitCode, message);
        LogFinished(logger, _job, _epoch, outcome, message);
        await ChangeAsync(record with { State = outcome, StateReason = message, Progress = progress, FinishedAt = time.GetUtcNow(), Result = result, Allocations = ImmutableSortedDictionary<string, int>.Empty }, message, progress, result);
    }

    private async Task StopAsync(JobState outcome, string reason, bool fenced)
    {
        if (Record is not { } record)
        {
            return;
        }

        if (fenced)
        {
            // Nothing this epoch says counts any more: drop what is unsent.
            state.State.Outbox.Clear();
        }

        if (Over(record.State) || !record.Admission.Admitted)
        {
            if (fenced && !record.Fenced)
            {
                state.State.Record = record with { Fenced = true, Version = record.Version + 1 };
                await state.WriteStateAsync();
            }

            return;
        }

        if (record.Run is { } run && executors.For(run).Detached)
        {
            await RunnerOf(run).StopAsync(RequestOf(record, run), run.Handle, CancellationToken.None);
        }

        await ReleaseAsync(record);
        var elapsed = record.StartedAt is { } started ? time.GetUtcNow() - started : TimeSpan.Zero;
        var result = await ResultAsync(record, elapsed, null, reason);
        if (outcome == JobState.Cancelled && !fenced)
        {
            // Asked for by the job's owner: nothing went wrong.
            LogCancelled(logger, _job, _epoch, reason);
        }
        else
        {
            LogStopped(logger, _job, _epoch, reason);
        }
        var stopped = record with
        {
            State = outcome,
            StateReason = reason,
            Fenced = fenced,
            FinishedAt = time.GetUtcNow(),
            Result = result,
            Allocations = ImmutableSortedDictionary<string, int>.Empty,
        };
        if (fenced)
        {
            state.State.Record = stopped with { Version = record.Version + 1 };
            await state.WriteStateAsync();
            return;
        }

        await ChangeAsync(stopped, reason, record.Progress, result);
    }

    private async Task RenewedAsync(Delivery delivery)
    {
        if (!delivery.Delivered || delivery.LeaseAnswer is not { } answer || Record is not { } record || !Live)
        {
            return;
        }

        switch (answer.Verdict)
        {
            case LeaseVerdict.Continue:
                _leaseRenewed = time.GetTimestamp();
                var now = time.GetUtcNow();
                if (now - record.LeaseRenewedAt > TimeSpan.FromSeconds(record.LeaseSeconds / 3))
                {
                    state.State.Record = record with { LeaseRenewedAt = now, LeaseSeconds = answer.LeaseSeconds > 0 ? answer.LeaseSeconds : record.LeaseSeconds };
                    await state.WriteStateAsync();
                }

                break;
            case LeaseVerdict.Cancel:
                await StopAsync(JobState.Cancelled, $"cancelled by {_job.Origin}: {answer.Reason}", fenced: false);
                break;
            default:
                await StopAsync(JobState.Cancelled, $"fenced by {_job.Origin}: {answer.Reason}", fenced: true);
                break;
        }
    }

    private async Task ChangeAsync(ExecutionRecord record, string message, double? progress = null, JobResult? result = null)
    {
        state.State.ReportSequence++;
        var report = new ExecutionReport
        {
            Job = _job,
            Epoch = _epoch,
            Sequence = state.State.ReportSequence,
            State = record.State,
            Message = message,
            Progress = progress,
            Result = result,
        };
        var outgoing = OutboxMessage.Create(_job.Origin, new ReportMessage(report), time.GetUtcNow());
        state.State.Outbox.Add(outgoing);
        state.State.Record = record with { Version = record.Version + 1 };
        await state.WriteStateAsync();
        _outbox.Send(outgoing);
    }

    private async Task<ImmutableSortedDictionary<string, int>?> AllocateAsync(AcceleratorSlug slug, int count)
    {
        var nodes = await index.QueryNodesAsync(new NodeQuery { Accelerator = slug.Value, State = NodeState.Up, Limit = 500 });
        var taken = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        var needed = count;
        foreach (var node in nodes.Items.OrderByDescending(n => n.FreeAccelerators))
        {
            if (needed == 0)
            {
                break;
            }

            var take = Math.Min(needed, node.FreeAccelerators);
            if (take <= 0)
            {
                continue;
            }

            var result = await GrainFactory.GetGrain<IGpuNodeGrain>(node.Spec.Id.GrainKey).AllocateAsync(_holder, take);
            if (result.Succeeded)
            {
                taken[node.Spec.Id.Value] = take;
                needed -= take;
            }
        }

        if (needed == 0)
        {
            return taken.ToImmutable();
        }

        foreach (var node in taken.Keys)
        {
            await GrainFactory.GetGrain<IGpuNodeGrain>(TypedId.Parse<NodeId>(node).GrainKey).ReleaseAsync(_holder);
        }

        return null;
    }

    private async Task ReleaseAsync(ExecutionRecord record)
    {
        foreach (var node in record.Allocations.Keys)
        {
            await GrainFactory.GetGrain<IGpuNodeGrain>(TypedId.Parse<NodeId>(node).GrainKey).ReleaseAsync(_holder);
        }
    }

    private async Task<JobResult> ResultAsync(ExecutionRecord record, TimeSpan elapsed, int? exitCode, string message)
    {
        var profile = await GrainFactory.GetGrain<INationGrain>(INationGrain.Key).GetAsync();
        var hours = executors.For(record.Run).RunHours(RequestOf(record, record.Run), elapsed);
        var intensity = profile is null ? 0 : reference.FindGridZone(profile.GridZone)?.Gco2PerKwh ?? 0;
        return EnergyBill.Result(EnergyModel.Of(await PowerAsync(record), hours, profile?.Pue ?? 1, record.Run?.StagedBytes ?? 0, router.Weights.TransferKwhPerGb, intensity), exitCode, message, record.Run?.Executor);
    }

    /// <summary>
    /// The allocated accelerators' power: measured when every node holding them reports a measured
    /// draw (its share for the accelerators held), else the table's TDP times the count.
    /// </summary>
    private async Task<PowerFigure> PowerAsync(ExecutionRecord record)
    {
        var tdp = PowerFigure.Tdp(record.Accelerator is { } slug ? reference.FindAccelerator(slug) : null, record.Spec.Accelerators.Count);
        if (record.Allocations.IsEmpty)
        {
            return tdp;
        }

        var measured = 0.0;
        foreach (var (node, held) in record.Allocations)
        {
            var nodeRecord = await GrainFactory.GetGrain<IGpuNodeGrain>(TypedId.Parse<NodeId>(node).GrainKey).GetAsync();
            if (nodeRecord is not { PowerSource: PowerSource.Measured } measuredNode || measuredNode.Spec.Count <= 0)
            {
                return tdp;
            }

            measured += PowerFigure.ShareOf(measuredNode.PowerDrawWatts, measuredNode.Spec.Count, held);
        }

        return PowerFigure.Measured(measured);
    }

    private static bool Over(JobState state) => state.IsFinished() || state == JobState.Requeued;

    private void StartTimer() =>
        _timer ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions { DueTime = s_tick, Period = s_tick, KeepAlive = true });

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} epoch {Epoch}: the {Executor} executor could not be asked about the run (asking again): {Error}")]
    private static partial void LogPollFailed(ILogger logger, JobRef job, int epoch, string executor, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} epoch {Epoch}: a Slurm job of pool {Pool} with its name had no admitted execution here; cancelled")]
    private static partial void LogOrphan(ILogger logger, JobRef job, int epoch, string pool);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admitted job {Job} epoch {Epoch} from {From}: {Reason}")]
    private static partial void LogAdmitted(ILogger logger, JobRef job, int epoch, NationCode from, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} epoch {Epoch} finished: {State}, {Message}")]
    private static partial void LogFinished(ILogger logger, JobRef job, int epoch, JobState state, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} epoch {Epoch} stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, JobRef job, int epoch, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} epoch {Epoch} cancelled: {Reason}")]
    private static partial void LogCancelled(ILogger logger, JobRef job, int epoch, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} epoch {Epoch}: {Kind} to the origin not delivered (attempt {Attempts}): {Error}")]
    private static partial void LogNotDelivered(ILogger logger, string kind, JobRef job, int epoch, int attempts, string? error);
}
