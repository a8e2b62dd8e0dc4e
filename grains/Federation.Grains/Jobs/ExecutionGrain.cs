using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Grains.Catalogue.Index;
using Federation.Grains.Nations;
using Federation.Reference;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Jobs;

/// <summary>
/// One epoch of a job in the nation that runs it: admission (final), allocation on GPU node
/// grains, the run (simulated executor), lease renewals with the origin, and reports through a
/// persisted outbox. It stops a run it could not renew for (lease − margin) on its own monotonic
/// clock, and stops for good when the origin fences its epoch.
/// </summary>
[GrainType("execution")]
public sealed partial class ExecutionGrain(
    [PersistentState("execution", GrainStorageNames.Jobs)] IPersistentState<ExecutionGrainState> state,
    AdmissionPolicy admission,
    IFederationCourier courier,
    ICatalogueIndex index,
    ReferenceTables reference,
    LocalNation local,
    JobSettings jobs,
    ExecutorSettings executor,
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

        var decided = state.State.FencedBeforeOffer
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
            state.State.FencedBeforeOffer = true;
            await state.WriteStateAsync();
            return true;
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
            var renewal = new OutboxMessage { Id = Guid.NewGuid(), To = _job.Origin, CreatedAt = now, Renewal = new LeaseRenewal(_job, _epoch) };
            _renewal = renewal.Id;
            courier.Send(renewal, this.AsReference<IExecutionGrain>());
        }

        switch (record.State)
        {
            case JobState.Admitted or JobState.Queued:
                await TryStartAsync(record);
                break;
            case JobState.Running:
                await AdvanceAsync(record, now);
                break;
        }
    }

    private async Task TryStartAsync(ExecutionRecord record)
    {
        var fit = await admission.FitAsync(record.Spec.Accelerators);
        var allocations = fit.Slug is { } slug && fit.Free >= record.Spec.Accelerators.Count
            ? await AllocateAsync(slug, record.Spec.Accelerators.Count)
            : null;
        if (allocations is null)
        {
            if (record.State == JobState.Admitted)
            {
                await ChangeAsync(record with { State = JobState.Queued, StateReason = $"queued in {fit.Reason}" }, $"queued: {fit.Reason}");
            }

            return;
        }

        var now = time.GetUtcNow();
        var message = $"running on {record.Spec.Accelerators.Count} x {fit.Slug} ({string.Join(", ", allocations.Select(a => $"{a.Key}: {a.Value}"))})";
        await ChangeAsync(record with { State = JobState.Running, StateReason = message, Accelerator = fit.Slug, Allocations = allocations, StartedAt = now, Progress = 0 }, message, 0);
        _lastProgressReport = now;
    }

    private async Task AdvanceAsync(ExecutionRecord record, DateTimeOffset now)
    {
        var run = SimulatedRun.For(record.Spec, record.Accelerator!.Value, reference, executor);
        var elapsed = now - record.StartedAt!.Value;
        var (outcome, progress, message) = run.At(elapsed);
        if (outcome == JobState.Running)
        {
            if (now - _lastProgressReport >= executor.ProgressEvery)
            {
                _lastProgressReport = now;
                await ChangeAsync(record with { Progress = progress }, string.Create(CultureInfo.InvariantCulture, $"running: {progress:P0}"), progress);
            }

            return;
        }

        var ran = outcome == JobState.TimedOut ? run.Walltime : run.Duration;
        await FinishAsync(record, outcome, message, progress, ran, outcome == JobState.TimedOut ? null : run.ExitCode);
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

        await ReleaseAsync(record);
        var elapsed = record.StartedAt is { } started ? time.GetUtcNow() - started : TimeSpan.Zero;
        var result = await ResultAsync(record, elapsed, null, reason);
        LogStopped(logger, _job, _epoch, reason);
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
        var outgoing = new OutboxMessage { Id = Guid.NewGuid(), To = _job.Origin, CreatedAt = time.GetUtcNow(), Report = report };
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
        var run = record.Accelerator is { } slug ? SimulatedRun.For(record.Spec, slug, reference, executor) : null;
        var hours = run?.RunHours(elapsed) ?? 0;
        var watts = record.Accelerator is { } s ? reference.FindAccelerator(s)?.TdpWatts ?? 0 : 0;
        var pue = profile?.Pue ?? 1;
        var kwh = hours * record.Spec.Accelerators.Count * watts / 1000 * pue;
        var intensity = profile is null ? 0 : reference.FindGridZone(profile.GridZone)?.Gco2PerKwh ?? 0;
        return new JobResult
        {
            ExitCode = exitCode,
            Message = message,
            RunSeconds = hours * 3600,
            EnergyKwh = kwh,
            EmissionsGco2e = kwh * intensity,
            EnergyMethod = "tdp-estimate",
        };
    }

    private static bool Over(JobState state) => state.IsFinished() || state == JobState.Requeued;

    private void StartTimer() =>
        _timer ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions { DueTime = s_tick, Period = s_tick, KeepAlive = true });

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admitted job {Job} epoch {Epoch} from {From}: {Reason}")]
    private static partial void LogAdmitted(ILogger logger, JobRef job, int epoch, NationCode from, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} epoch {Epoch} finished: {State}, {Message}")]
    private static partial void LogFinished(ILogger logger, JobRef job, int epoch, JobState state, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} epoch {Epoch} stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, JobRef job, int epoch, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} epoch {Epoch}: {Kind} to the origin not delivered (attempt {Attempts}): {Error}")]
    private static partial void LogNotDelivered(ILogger logger, string kind, JobRef job, int epoch, int attempts, string? error);
}
