using System.Collections.Immutable;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Results;
using Federation.Contracts.Routing;
using Federation.Grains.Jobs.Leases;
using Federation.Lifecycle.Jobs;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Jobs;

/// <summary>
/// A job in its origin nation, as an adapter of <see cref="JobLifecycle"/>: it feeds the decider
/// each input with the time, writes the new state with its events and outbox in one write (a crash
/// delays messages but never loses them), then sends the outbox, asks the planner, projects the
/// read model and publishes the events. Network I/O happens outside: the planner and the courier
/// answer with grain calls. One grain timer is armed for the job's next due time
/// (<see cref="JobLifecycle.NextDue"/>, the outbox's retries) after every step; its entry in the
/// nation's lease index (<see cref="GrainLeaseEntry"/>, no reminder of its own) has the sweeper wake
/// it after its silo died, when it left memory with work due, and when its retention is over.
/// </summary>
[GrainType("job")]
public sealed class JobGrain(
    [PersistentState("job", GrainStorageNames.Jobs)] IPersistentState<JobGrainState> state,
    IJobPlanner planner,
    IFederationCourier courier,
    IJobIndex index,
    ILeaseIndex leases,
    LeaseSettings leaseSettings,
    JobSettings settings,
    TimeProvider time,
    ILogger<JobGrain> logger)
    : LeasedGrain, IJobGrain
{
    // The shortest delay of the timer (the period of the ticks it replaced).
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(500);

    private JobRef _ref;
    private JobLifecycleState _job = null!;
    private JobLifecycleSettings _rules = null!;
    private OutboxSender _outbox = null!;
    private JobPublisher _publisher = null!;
    private IDecisionRecorder? _recorder;
    private IWriteGrouping? _grouping;

    private JobRecord? Record => _job.Record;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ref = TypedId.Parse<JobRef>(this.GetPrimaryKeyString()["job-".Length..]);
        _job = state.State.ToLifecycle(_ref);
        _rules = settings.Lifecycle();
        _outbox = new OutboxSender(courier, this.AsReference<IJobGrain>());
        _publisher = new JobPublisher(_ref, index, () => this.GetStreamProvider(GrainStorageNames.EventStreams).GetStream<JobEvent>(StreamId.Create(JobEvents.Namespace, _ref.ToString())), logger);
        Due = new DueTimer(due => this.RegisterGrainTimer(() => Due.RunAsync(TickAsync), new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, KeepAlive = true }), s_tick, time);
        _recorder = (IDecisionRecorder?)ServiceProvider.GetService(typeof(IDecisionRecorder));
        _grouping = (IWriteGrouping?)ServiceProvider.GetService(typeof(IWriteGrouping));
        Lease = new GrainLeaseEntry(leases, LeaseKey.Job(_ref.ToString()), () => JobLifecycle.NeedsTicks(_job), leaseSettings, time, logger);
        await StepAsync(new ClockResumed());
        if (JobLifecycle.NeedsTicks(_job))
        {
            // Back after a restart (or a crash before the entry was written): the entry is renewed.
            await leases.SettleJobAsync(_job, time.GetUtcNow(), settings.Retention, leaseSettings);
            Arm();
        }

        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<JobRecord?> GetAsync() => Task.FromResult(Record);

    /// <inheritdoc />
    public Task<ImmutableArray<JobEvent>> GetEventsAsync(long after) =>
        Task.FromResult(_job.Events.Where(e => e.Sequence > after).ToImmutableArray());

    /// <inheritdoc />
    public async Task<CommandResult<JobRecord>> SubmitAsync(JobSpec spec, RoutingDecision? decision)
    {
        var existed = Record is not null;
        JobStages.Mark(_ref, "de.submit");
        var step = await StepAsync(new SubmitJob(spec, decision) { TraceParent = Diagnostics.JobTracing.CurrentParent() });
        return step.Decision.Rejected switch
        {
            { Rule: JobRules.SpecConflict } r => CommandResult.Refused(CommandStatus.Conflict, r.Message, Record),
            { } r => CommandResult.Refused(CommandStatus.Invalid, r.Message, Record, "decision"),
            null when existed => CommandResult.Unchanged(Record!),
            null => CommandResult.Created(Record!),
        };
    }

    /// <inheritdoc />
    public async Task<CommandResult<JobRecord>> CancelAsync(string reason)
    {
        var step = await StepAsync(new CancelRequested(reason));
        return step.Decision.Rejected switch
        {
            { Rule: JobRules.UnknownJob } r => CommandResult.Refused<JobRecord>(CommandStatus.NotFound, r.Message),
            { } r => CommandResult.Refused(CommandStatus.Conflict, r.Message, Record, "state"),
            null => CommandResult.Ok(Record!),
        };
    }

    /// <inheritdoc />
    public Task PlannedAsync(int attempt, RoutingDecision? decision, string? failure) =>
        StepAsync(new PlanCompleted(attempt, decision, failure));

    /// <inheritdoc />
    public async Task DeliveredAsync(Guid messageId, Delivery delivery)
    {
        JobStages.Mark(_ref, "de.delivered");
        var attempts = _outbox.Ended(messageId, delivery.Delivered, time.GetUtcNow());
        if (!delivery.Delivered && _job.Outbox.FirstOrDefault(m => m.Id == messageId) is { } message && messageId != _job.ProbeId)
        {
            JobGrainLog.NotDelivered(logger, message.Kind, _ref, message.To, attempts, delivery.Error);
        }

        await StepAsync(new MessageDelivered(messageId, delivery, attempts));

        // A failed send is due again after its backoff, whether or not the step changed anything.
        Arm();
    }

    /// <inheritdoc />
    public async Task<ReportAnswer> ReportAsync(NationCode from, ExecutionReport report) =>
        (await StepAsync(new ReportReceived(from, report))).ReportAnswer!;

    /// <inheritdoc />
    public async Task<LeaseAnswer> RenewLeaseAsync(NationCode from, int epoch) =>
        (await StepAsync(new RenewalReceived(from, epoch))).LeaseAnswer!;

    /// <inheritdoc />
    public Task RepublishAsync() => Record is { } record ? _publisher.ProjectAsync(record) : Task.CompletedTask;

    /// <inheritdoc />
    public async Task WakeAsync()
    {
        if (JobLifecycle.NeedsTicks(_job))
        {
            // The sweeper's claim made the entry due at the next recheck already.
            Arm();
            return;
        }

        if (JobLifecycle.RetentionOver(_job, time.GetUtcNow(), settings.Retention))
        {
            JobGrainLog.RetentionOver(logger, _ref);
            await index.RemoveAsync(_ref.ToString(), CancellationToken.None);
            await state.ClearStateAsync();
            _job = JobLifecycleState.Empty(_ref);
        }

        await leases.SettleJobAsync(_job, time.GetUtcNow(), settings.Retention, leaseSettings);
        if (Record is null)
        {
            DeactivateOnIdle();
        }
    }

    private async Task TickAsync()
    {
        Due.Fired();
        _outbox.SendDue(_job.Outbox, time.GetUtcNow());
        if (!JobLifecycle.NeedsTicks(_job))
        {
            Due.Stop();
            return;
        }

        if (_publisher.Stale && Record is { } record)
        {
            await _publisher.ProjectAsync(record);
        }

        await StepAsync(new JobTick());
        Arm();
    }

    /// <summary>One input through the decider, then its effects: one write, the messages, the plan request, the events.</summary>
    private async Task<JobStep> StepAsync(JobInput input)
    {
        var before = _job;
        var step = JobLifecycle.Decide(before, input, time.GetUtcNow(), _rules);
        if (step.Decision.Rejected is { } rejection)
        {
            JobGrainLog.Rejected(logger, _ref, input.GetType().Name, rejection.Rule, rejection.Message);
            return step;
        }

        var after = step.State;
        var sent = after.Outbox.Where(m => !before.Outbox.Any(b => b.Id == m.Id)).ToList();
        var dropped = before.Outbox.Where(m => !after.Outbox.Any(a => a.Id == m.Id)).ToList();
        var written = !step.Decision.Events.IsEmpty || sent.Count > 0 || dropped.Count > 0;
        Task write = Task.CompletedTask, logged = Task.CompletedTask;

        // A routing decision's transparency entry is issued with the state write that records it, so
        // that both ride one commit of the silo's pipeline (in memory: a plain append); a logged
        // decision whose state write failed is decided again, and logged again, on the retry.
        using (_grouping?.Together())
        {
            if (written)
            {
                // Lease and plan clocks alone are not worth a write: they travel with the next one (a
                // restarted grain resumes its lease clock from activation).
                state.State = JobGrainState.From(after);
                write = state.WriteStateAsync();
            }

            if (_recorder is not null && RoutingEntry.Of(input, before, after) is { } routed)
            {
                logged = routed.RecordAsync(_recorder);
            }
        }

        try
        {
            await write;
        }
        catch
        {
            state.State = JobGrainState.From(before);
            throw;
        }
        finally
        {
            await logged;
        }

        if (written)
        {
            JobStages.Mark(_ref, input is SubmitJob ? "de.submit.committed" : "de.step.committed");
        }

        _job = after;
        Diagnostics.FederationMetrics.JobStepped(before.Record, after.Record);
        Diagnostics.FederationMetrics.LeasesExpired(sent);
        dropped.ForEach(m => _outbox.Forget(m.Id));
        sent.ForEach(_outbox.Send);
        if (sent.Count > 0)
        {
            JobStages.Mark(_ref, "de.outbox.sent");
        }
        if (after.PlanAttempt > before.PlanAttempt && after.Record is { } planned)
        {
            planner.Plan(_ref, planned.Spec, after.PlanAttempt, this.AsReference<IJobGrain>());
        }

        await EffectsAsync(before.Record, step.Decision.Events);
        Arm();
        return step;
    }

    private async Task EffectsAsync(JobRecord? before, ImmutableArray<JobEvent> events)
    {
        if (events.IsEmpty || Record is not { } record)
        {
            return;
        }

        foreach (var evt in events)
        {
            JobGrainLog.Changed(logger, _ref, evt.State, evt.Message);
        }

        // Issued together, so that the read model's upsert and the lease entry meet in one of the
        // silo's commit transactions; both follow the state write, which has committed.
        var projected = _publisher.ProjectAsync(record);
        var settled = before is null || (record.State.IsFinished() && !before.State.IsFinished())
            // Written when the job starts and when it finishes (then due when its retention ends), in
            // batches shared with other grains; the sweeper's claims keep a live entry coming back.
            ? leases.SettleJobAsync(_job, time.GetUtcNow(), settings.Retention, leaseSettings)
            : Task.CompletedTask;
        await projected;
        foreach (var evt in events)
        {
            await _publisher.PublishAsync(evt);
        }

        await settled;
    }

    /// <summary>Arms the timer for what is due next: the decider's clocks, the outbox's retries, a read model that missed a record.</summary>
    private void Arm()
    {
        if (!JobLifecycle.NeedsTicks(_job))
        {
            Due.Stop();
            return;
        }

        var now = time.GetUtcNow();
        var due = DueTimer.Earliest(JobLifecycle.NextDue(_job, _rules), _outbox.NextDue(_job.Outbox, now));
        Due.Arm(_publisher.Stale ? DueTimer.Earliest(due, now) : due);
    }
}
