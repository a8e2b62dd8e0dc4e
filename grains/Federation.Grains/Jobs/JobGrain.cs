using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Results;
using Federation.Contracts.Routing;
using Federation.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Jobs;

/// <summary>
/// A job in its origin nation. Every change is one state write holding the record, the new event
/// and any message to a peer (the outbox), so that a crash delays messages but never loses them.
/// Network I/O happens outside: the planner and the courier answer with grain calls. A grain timer
/// ticks while the job is alive (retries, the executing nation's lease, re-planning); a reminder
/// re-activates the grain after a restart.
/// </summary>
[GrainType("job")]
public sealed partial class JobGrain(
    [PersistentState("job", GrainStorageNames.Jobs)] IPersistentState<JobGrainState> state,
    IJobPlanner planner,
    IFederationCourier courier,
    IJobIndex index,
    JobSettings settings,
    TimeProvider time,
    ILogger<JobGrain> logger)
    : Grain, IJobGrain, IRemindable
{
    private const string Backstop = "job-backstop";
    private const int MaxEvents = 2000;
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_planTimeout = TimeSpan.FromSeconds(30);

    private JobRef _ref;
    private OutboxSender _outbox = null!;
    private IGrainTimer? _timer;
    private long _leaseRenewed;
    private bool _planInFlight;
    private long _planRequested;
    private DateTimeOffset _nextPlan;
    private bool _indexStale;
    private Guid? _probe;

    private JobRecord? Record => state.State.Record;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ref = TypedId.Parse<JobRef>(this.GetPrimaryKeyString()["job-".Length..]);
        _outbox = new OutboxSender(courier, this.AsReference<IJobGrain>());

        // After a restart the executing nation gets the benefit of the doubt: its lease counts from now.
        _leaseRenewed = time.GetTimestamp();
        if (Record is { } record && (!record.State.IsFinished() || state.State.Outbox.Count > 0))
        {
            StartTimer();
        }

        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<JobRecord?> GetAsync() => Task.FromResult(Record);

    /// <inheritdoc />
    public Task<ImmutableArray<JobEvent>> GetEventsAsync(long after) =>
        Task.FromResult(state.State.Events.Where(e => e.Sequence > after).ToImmutableArray());

    /// <inheritdoc />
    public async Task<CommandResult<JobRecord>> SubmitAsync(JobSpec spec)
    {
        if (Record is { } existing)
        {
            return existing.Spec == spec
                ? CommandResult.Unchanged(existing)
                : CommandResult.Refused(CommandStatus.Conflict,
                    $"job {_ref} was submitted at {existing.SubmittedAt:u} with another spec; submit the same spec again, or choose another id", existing);
        }

        var now = time.GetUtcNow();
        var record = new JobRecord
        {
            Ref = _ref,
            Spec = spec,
            State = JobState.Submitted,
            StateReason = "submitted; planning",
            SubmittedAt = now,
            UpdatedAt = now,
        };
        var committed = await CommitAsync(record, $"submitted by {spec.Owner.User}");
        await this.RegisterOrUpdateReminder(Backstop, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        StartTimer();
        RequestPlan();
        return CommandResult.Created(committed);
    }

    /// <inheritdoc />
    public async Task<CommandResult<JobRecord>> CancelAsync(string reason)
    {
        if (Record is not { } record)
        {
            return CommandResult.Refused<JobRecord>(CommandStatus.NotFound, $"{_ref.Origin} has no job '{_ref.Id}'; jobs are listed with GET /api/v1/jobs in the nation they were submitted to");
        }

        if (record.State.IsFinished())
        {
            return CommandResult.Refused(CommandStatus.Conflict, $"job {_ref} already finished: it is {Name(record.State)} ({record.StateReason})", record, "state");
        }

        OutboxMessage? cancellation = null;
        if (record.Nation is { } nation && (record.State == JobState.Offered || record.State.IsExecuting()))
        {
            cancellation = Enqueue(nation, new CancellationMessage(new JobCancellation(_ref, record.Epoch, reason, Fenced: false)));
        }

        var committed = await CommitAsync(record with { State = JobState.Cancelled, StateReason = $"cancelled: {reason}", FinishedAt = time.GetUtcNow() }, $"cancelled: {reason}");
        _outbox.Send(cancellation);
        return CommandResult.Ok(committed);
    }

    /// <inheritdoc />
    public async Task PlannedAsync(int attempt, RoutingDecision? decision, string? failure)
    {
        _planInFlight = false;
        if (attempt != state.State.PlanAttempt || Record is not { State: JobState.Submitted or JobState.Planned or JobState.Requeued } record)
        {
            return;
        }

        _nextPlan = time.GetUtcNow() + settings.ReplanInterval;
        if (decision is null)
        {
            var reason = $"pending: cannot plan now ({failure})";
            if (record.StateReason != reason)
            {
                await CommitAsync(record with { State = JobState.Planned, Nation = null, StateReason = reason }, reason);
            }

            return;
        }

        state.State.RefusedUnderDecision.Clear();
        await OfferNextAsync(record with { Decision = decision });
    }

    /// <inheritdoc />
    public async Task DeliveredAsync(Guid messageId, Delivery delivery)
    {
        if (messageId == _probe)
        {
            _probe = null;
            return;
        }

        var attempts = _outbox.Ended(messageId, delivery.Delivered, time.GetUtcNow());
        var message = state.State.Outbox.FirstOrDefault(m => m.Id == messageId);
        if (message is null || Record is not { } record)
        {
            return;
        }

        if (!delivery.Delivered)
        {
            LogNotDelivered(logger, message.Kind, _ref, message.To, attempts, delivery.Error);
            if (message.Message is OfferMessage { Offer: var unanswered } && attempts >= settings.OfferAttempts && record.State == JobState.Offered && record.Epoch == unanswered.Epoch)
            {
                state.State.Outbox.Remove(message);
                _outbox.Forget(messageId);

                // It may have admitted the job without our hearing: fence that epoch there, then try the next nation.
                Enqueue(message.To, new CancellationMessage(new JobCancellation(_ref, unanswered.Epoch, "the offer's answer never arrived; the job went elsewhere", Fenced: true)));
                var lost = new Admission(message.To, unanswered.Epoch, false, $"not reachable after {attempts} attempts: {delivery.Error}");
                await RefusedAsync(record, lost);
            }

            return;
        }

        state.State.Outbox.Remove(message);
        if (message.Message is OfferMessage { Offer: var offer } && delivery.Admission is { } admission)
        {
            if (record.State != JobState.Offered || record.Epoch != offer.Epoch)
            {
                // The job moved on (cancelled, or offered elsewhere) while the answer travelled.
                var fence = admission.Admitted ? Enqueue(message.To, new CancellationMessage(new JobCancellation(_ref, offer.Epoch, "the job moved on before the admission arrived", Fenced: true))) : null;
                await state.WriteStateAsync();
                _outbox.Send(fence);
                return;
            }

            if (admission.Admitted)
            {
                _leaseRenewed = time.GetTimestamp();
                await CommitAsync(
                    record with { State = JobState.Admitted, StateReason = $"admitted by {admission.Nation}: {admission.Reason}", Admissions = record.Admissions.Add(admission) },
                    $"admitted by {admission.Nation}: {admission.Reason}",
                    admission.Nation);
                return;
            }

            await RefusedAsync(record, admission);
            return;
        }

        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task<ReportAnswer> ReportAsync(NationCode from, ExecutionReport report)
    {
        if (Record is not { } record)
        {
            return new ReportAnswer(false, true, $"no job {_ref} in its origin");
        }

        if (report.Epoch != record.Epoch || record.Nation != from)
        {
            LogStaleRefused(logger, "report", _ref, from, report.Epoch, record.Epoch);
            return new ReportAnswer(false, true, $"epoch {report.Epoch} in {from} is stale: job {_ref} is at epoch {record.Epoch}{(record.Nation is { } n ? $" in {n}" : "")}");
        }

        if (report.Sequence <= state.State.LastReportSequence || record.State.IsFinished())
        {
            return new ReportAnswer(true, false, record.State.IsFinished() ? $"job {_ref} already finished: {Name(record.State)}" : "already recorded");
        }

        _leaseRenewed = time.GetTimestamp();
        state.State.LastReportSequence = report.Sequence;
        if (report.State == JobState.Requeued)
        {
            // The executing nation gave the job back (it could not keep its lease): plan it again.
            var reason = $"{from} gave epoch {record.Epoch} back: {report.Message}; planning again";
            state.State.RefusedUnderDecision.Clear();
            await CommitAsync(record with { State = JobState.Requeued, Nation = null, StateReason = reason, Progress = null }, reason, from);
            RequestPlan();
            return new ReportAnswer(true, false, "recorded; the job will be planned again");
        }

        var finished = report.State.IsFinished();
        var updated = record with
        {
            State = report.State,
            StateReason = report.Message,
            Progress = report.Progress ?? record.Progress,
            Result = report.Result ?? record.Result,
            FinishedAt = finished ? time.GetUtcNow() : null,
        };
        await CommitAsync(updated, $"{from}: {report.Message}", from, report.Progress);
        if (finished)
        {
            await FinishedAsync();
        }

        return new ReportAnswer(true, false, "recorded");
    }

    /// <inheritdoc />
    public Task<LeaseAnswer> RenewLeaseAsync(NationCode from, int epoch)
    {
        if (Record is not { } record)
        {
            return Task.FromResult(new LeaseAnswer(LeaseVerdict.Fenced, 0, $"no job {_ref} in its origin"));
        }

        if (epoch != record.Epoch || record.Nation != from)
        {
            LogStaleRefused(logger, "lease renewal", _ref, from, epoch, record.Epoch);
            return Task.FromResult(new LeaseAnswer(LeaseVerdict.Fenced, 0, $"epoch {epoch} in {from} is stale: job {_ref} is at epoch {record.Epoch}"));
        }

        if (record.State == JobState.Cancelled)
        {
            return Task.FromResult(new LeaseAnswer(LeaseVerdict.Cancel, 0, record.StateReason));
        }

        if (record.State.IsFinished())
        {
            return Task.FromResult(new LeaseAnswer(LeaseVerdict.Fenced, 0, $"job {_ref} already finished: {Name(record.State)}"));
        }

        _leaseRenewed = time.GetTimestamp();
        return Task.FromResult(new LeaseAnswer(LeaseVerdict.Continue, settings.Lease.TotalSeconds, "renewed"));
    }

    /// <inheritdoc />
    public Task RepublishAsync() => Record is { } record ? ProjectAsync(record) : Task.CompletedTask;

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Record is not { } record)
        {
            await StopReminderAsync();
            return;
        }

        if (record.State.IsFinished() && state.State.Outbox.Count == 0)
        {
            if (record.FinishedAt is { } finishedAt && time.GetUtcNow() - finishedAt >= settings.Retention)
            {
                LogRetentionOver(logger, _ref);
                await index.RemoveAsync(_ref.ToString(), CancellationToken.None);
                await state.ClearStateAsync();
                await StopReminderAsync();
                DeactivateOnIdle();
            }

            return;
        }

        StartTimer();
    }

    private async Task OfferNextAsync(JobRecord record)
    {
        var decision = record.Decision!;
        var next = decision.Candidates
            .Where(c => c.Rank is not null && !state.State.RefusedUnderDecision.Contains(c.Nation))
            .OrderBy(c => c.Rank)
            .FirstOrDefault();
        if (next is null)
        {
            var refusals = record.Admissions.Where(a => !a.Admitted && state.State.RefusedUnderDecision.Contains(a.Nation)).TakeLast(state.State.RefusedUnderDecision.Count).ToList();
            var reason = decision.Chosen is null
                ? $"pending: {decision.Summary}"
                : $"pending: every feasible nation refused ({string.Join("; ", refusals.Select(a => $"{a.Nation}: {a.Reason}"))})";
            _nextPlan = time.GetUtcNow() + settings.ReplanInterval;
            // A re-plan with the same outcome changes nothing users see: no new event, no write.
            if (Record is not { State: JobState.Planned, Nation: null } current || current.StateReason != reason)
            {
                await CommitAsync(record with { State = JobState.Planned, Nation = null, StateReason = reason }, reason);
            }
            else
            {
                // Kept in memory so that "why pending?" shows the latest plan; written with the next change.
                state.State.Record = current with { Decision = decision };
            }

            return;
        }

        var epoch = record.Epoch + 1;
        var offer = Enqueue(next.Nation, new OfferMessage(new JobOffer { Job = _ref, Epoch = epoch, Spec = record.Spec, LeaseSeconds = settings.Lease.TotalSeconds }));
        state.State.LastReportSequence = 0;
        var why = next.Score is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"offered to {next.Nation} (rank {next.Rank}: {s.TotalGco2e:0.##} gCO2e on {s.Accelerator}, wait {s.ExpectedWaitHours:0.##} h)")
            : $"offered to {next.Nation} (rank {next.Rank})";
        await CommitAsync(record with { State = JobState.Offered, Epoch = epoch, Nation = next.Nation, StateReason = why, Progress = null }, why, next.Nation);
        _outbox.Send(offer);
    }

    private async Task RefusedAsync(JobRecord record, Admission refusal)
    {
        LogRefused(logger, _ref, refusal.Nation, refusal.Reason);
        state.State.RefusedUnderDecision.Add(refusal.Nation);
        var refused = record with { Admissions = record.Admissions.Add(refusal), Nation = null };
        await CommitAsync(refused with { State = JobState.Planned, StateReason = $"refused by {refusal.Nation}: {refusal.Reason}" }, $"refused by {refusal.Nation}: {refusal.Reason}", refusal.Nation);
        await OfferNextAsync(Record!);
    }

    private async Task TickAsync()
    {
        if (Record is not { } record)
        {
            return;
        }

        var now = time.GetUtcNow();
        _outbox.SendDue(state.State.Outbox, now);

        if (record.State.IsFinished())
        {
            if (state.State.Outbox.Count == 0)
            {
                StopTimer();
            }

            return;
        }

        if (_indexStale)
        {
            await ProjectAsync(record);
        }

        var silence = time.GetElapsedTime(_leaseRenewed);
        if (record.State.IsExecuting() && silence > settings.Lease + settings.Grace)
        {
            await LeaseLostAsync(record, silence);
            return;
        }

        if (record.State.IsExecuting() && silence > settings.Lease / 2 && _probe is null && record.Nation is { } executing)
        {
            // The executing nation is late: offer the same epoch again. The offer is idempotent and
            // re-activates its execution (e.g. on a surviving silo after one died), which then renews.
            var probe = OutboxMessage.Create(executing, new OfferMessage(new JobOffer { Job = _ref, Epoch = record.Epoch, Spec = record.Spec, LeaseSeconds = settings.Lease.TotalSeconds }), now);
            _probe = probe.Id;
            courier.Send(probe, this.AsReference<IJobGrain>());
        }

        if (_planInFlight && time.GetElapsedTime(_planRequested) > s_planTimeout)
        {
            // The answer was lost (e.g. the silo that planned died): ask again.
            _planInFlight = false;
        }

        if (!_planInFlight && (record.State is JobState.Submitted || (record.State is JobState.Planned && record.Nation is null && now >= _nextPlan)))
        {
            RequestPlan();
        }
    }

    private async Task LeaseLostAsync(JobRecord record, TimeSpan silence)
    {
        var lost = record.Nation!.Value;
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"lease of {lost} on epoch {record.Epoch} expired: no renewal for {silence.TotalSeconds:0.#} s (lease {settings.Lease.TotalSeconds:0.#} s + grace {settings.Grace.TotalSeconds:0.#} s); planning again");
        LogLeaseLost(logger, _ref, lost, record.Epoch);
        var fence = Enqueue(lost, new CancellationMessage(new JobCancellation(_ref, record.Epoch, "lease expired; the job was re-routed", Fenced: true)));
        state.State.RefusedUnderDecision.Clear();
        await CommitAsync(record with { State = JobState.Requeued, Nation = null, StateReason = reason, Progress = null }, reason, lost);
        _outbox.Send(fence);
        RequestPlan();
    }

    private void RequestPlan()
    {
        if (Record is not { } record)
        {
            return;
        }

        _planInFlight = true;
        _planRequested = time.GetTimestamp();
        state.State.PlanAttempt++;
        planner.Plan(_ref, record.Spec, state.State.PlanAttempt, this.AsReference<IJobGrain>());
    }

    private OutboxMessage Enqueue(NationCode to, FederationMessage payload)
    {
        var message = OutboxMessage.Create(to, payload, time.GetUtcNow());
        state.State.Outbox.Add(message);
        return message;
    }

    private async Task<JobRecord> CommitAsync(JobRecord record, string message, NationCode? nation = null, double? progress = null)
    {
        var now = time.GetUtcNow();
        var sequence = (Record?.LastEvent ?? 0) + 1;
        var committed = record with { UpdatedAt = now, Version = (Record?.Version ?? 0) + 1, LastEvent = sequence };
        var evt = new JobEvent(sequence, now, committed.State, committed.Epoch, nation ?? committed.Nation, message, progress);
        state.State.Record = committed;
        state.State.Events.Add(evt);
        if (state.State.Events.Count > MaxEvents)
        {
            state.State.Events.RemoveRange(0, state.State.Events.Count - MaxEvents);
        }

        await state.WriteStateAsync();
        LogChanged(logger, _ref, committed.State, message);
        await ProjectAsync(committed);
        await PublishAsync(evt);
        return committed;
    }

    private async Task ProjectAsync(JobRecord record)
    {
        try
        {
            await index.UpsertAsync(record, CancellationToken.None);
            _indexStale = false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _indexStale = true;
            LogProjectionFailed(logger, _ref, e);
        }
    }

    private async Task PublishAsync(JobEvent evt)
    {
        try
        {
            var stream = this.GetStreamProvider(GrainStorageNames.EventStreams).GetStream<JobEvent>(StreamId.Create(JobEvents.Namespace, _ref.ToString()));
            await stream.OnNextAsync(evt);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Subscribers catch up from the stored events; a lost stream item is only late.
            LogPublishFailed(logger, _ref, e);
        }
    }

    private async Task FinishedAsync()
    {
        await this.RegisterOrUpdateReminder(Backstop, settings.Retention, settings.Retention);
    }

    private async Task StopReminderAsync()
    {
        if (await this.GetReminder(Backstop) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private void StartTimer() =>
        _timer ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions { DueTime = s_tick, Period = s_tick, KeepAlive = true });

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private static string Name(JobState state) => JobEvents.Name(state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: {State}, {Message}")]
    private static partial void LogChanged(ILogger logger, JobRef job, JobState state, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: {Kind} to {Nation} not delivered (attempt {Attempts}): {Error}")]
    private static partial void LogNotDelivered(ILogger logger, string kind, JobRef job, NationCode nation, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: {Kind} from {Nation} for epoch {Epoch} refused as stale (current epoch {Current})")]
    private static partial void LogStaleRefused(ILogger logger, string kind, JobRef job, NationCode nation, int epoch, int current);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: refused by {Nation}: {Reason}")]
    private static partial void LogRefused(ILogger logger, JobRef job, NationCode nation, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: lease of {Nation} on epoch {Epoch} expired; re-routing")]
    private static partial void LogLeaseLost(ILogger logger, JobRef job, NationCode nation, int epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job}: read model not updated; retrying on the next tick")]
    private static partial void LogProjectionFailed(ILogger logger, JobRef job, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {Job}: event not published on the stream")]
    private static partial void LogPublishFailed(ILogger logger, JobRef job, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job}: retention over; removed")]
    private static partial void LogRetentionOver(ILogger logger, JobRef job);
}
