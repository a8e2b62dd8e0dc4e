using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution;
using Federation.Execution.Slurm;
using Federation.Execution.Staging;
using Federation.Execution.Workloads;
using Federation.Grains.Execution;
using Federation.Grains.Jobs.Leases;
using Federation.Grains.Nations;
using Federation.Lifecycle;
using Federation.Lifecycle.Executions;
using Federation.Protocol.Messages;
using Federation.Reference;
using Federation.Routing;
using Microsoft.Extensions.Logging;

namespace Federation.Grains.Jobs;

/// <summary>
/// One epoch of a job in the nation that runs it, as an adapter of <see cref="ExecutionLifecycle"/>: it gathers what the
/// decider needs (admission verdict, pre-offer fences, capacity), persists its state and outbox, sends reports and renewals,
/// arms one timer for its next due time (<see cref="ExecutionLifecycle.NextDue"/>, the outbox's retries) after every step,
/// and has <see cref="ExecutionEffects"/> carry out its effects.
/// </summary>
[GrainType("execution")]
public sealed class ExecutionGrain(
    [PersistentState("execution", GrainStorageNames.Jobs)] IPersistentState<ExecutionGrainState> state,
    AdmissionFactSource admission,
    PreOfferFences fences,
    IFederationCourier courier,
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
    ILeaseIndex leases,
    LeaseSettings leaseSettings,
    TimeProvider time,
    ILogger<ExecutionGrain> logger)
    : LeasedGrain, IExecutionGrain
{
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(250); // the timer's shortest delay (the period of the ticks it replaced)

    private readonly ExecutionSettings _settings = ExecutionSettingsOf.Nation(jobs, executor, reference);

    private ExecutionState _state = null!;
    private ExecutionRunner _runner = null!;
    private ExecutionEffects _effects = null!;
    private OutboxSender _outbox = null!;
    private string _holder = "";
    private Guid? _renewal;
    private IWriteGrouping? _grouping;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (job, epoch) = IExecutionGrain.ParseKey(_holder = this.GetPrimaryKeyString());
        JobStages.Mark(job, "fr.activated");
        var saved = state.State;
        _state = ExecutionState.Restore(job, epoch, saved.Record, saved.ReportSequence, saved.FencedBeforeOffer);
        _runner = new ExecutionRunner(job, epoch, executor, workloads, capacity, reference, stager, executors, slurm, logger, _holder, (IShareFactSource?)ServiceProvider.GetService(typeof(IShareFactSource)));
        var self = this.AsReference<IExecutionGrain>();
        Due = new DueTimer(due => this.RegisterGrainTimer(() => Due.RunAsync(TickAsync), new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, KeepAlive = true }), s_tick, time);
        _outbox = new OutboxSender(courier, self);
        _effects = new ExecutionEffects(_holder, self, _runner, new NodeAllocator(GrainFactory, time), new ExecutionBill(GrainFactory, reference, router, executors, _runner), logger,
            (Federation.Transparency.ITransparencyLog?)ServiceProvider.GetService(typeof(Federation.Transparency.ITransparencyLog)), time);
        _grouping = (IWriteGrouping?)ServiceProvider.GetService(typeof(IWriteGrouping));
        Lease = new GrainLeaseEntry(leases, LeaseKey.Execution(_holder), () => LeaseRule.ForExecution(_state.Live || _state.Finishing is not null, state.State.Outbox.Count, time.GetUtcNow(), leaseSettings) is not null, leaseSettings, time, logger);
        if (_state.Live || saved.Outbox.Count > 0)
        {
            // Back after a restart (or a crash before the entry was written): the entry is renewed.
            await Lease.HoldAsync(cancellationToken);
            Arm();
        }

        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<ExecutionRecord?> GetAsync() => Task.FromResult(state.State.Record);

    /// <inheritdoc />
    public Task ReconcileAsync() => _runner.ReconcileAsync(_state);

    /// <inheritdoc />
    public async Task<Admission> OfferAsync(NationCode from, JobOffer offer)
    {
        var fenced = fences.IsFenced(_state.Job, _state.Epoch);
        JobStages.Mark(_state.Job, "fr.offer");
        state.State.TraceParent ??= Diagnostics.JobTracing.CurrentParent(); // the offer's trace: reports join it
        var facts = ExecutionLifecycle.WantsAdmissionFacts(_state, offer, fenced) ? await admission.GatherAsync(from, offer) : null;
        JobStages.Mark(_state.Job, "fr.facts");
        var decision = await ApplyAsync(new OfferReceived(from, offer, local.Code, fenced, facts));
        JobStages.Mark(_state.Job, "fr.answer");
        return decision.Rejected is { } rejected ? new Admission(local.Code, offer.Epoch, false, rejected.Message) : _state.Record!.Admission;
    }

    /// <inheritdoc />
    public async Task<bool> CancelAsync(NationCode from, JobCancellation cancellation)
    {
        var decision = await ApplyAsync(new CancellationReceived(from, cancellation));
        if (!decision.Accepted)
        {
            return false;
        }

        return !decision.Events.OfType<RememberPreOfferFence>().Any() || fences.TryRemember(from, _state.Job, _state.Epoch); // not stored: any peer can name any job and epoch (see PreOfferFences)
    }

    /// <inheritdoc />
    public async Task<bool> GiveBackAsync(string reason) => (await ApplyAsync(new GiveBackRequested(reason))).Accepted;

    /// <inheritdoc />
    public async Task<bool> ReclaimAsync(string reason, TimeSpan checkpointGrace) => (await ApplyAsync(new ReclaimRequested(reason, checkpointGrace))).Accepted;

    /// <inheritdoc />
    public Task<int> OwedReportsAsync() => Task.FromResult(state.State.Outbox.Count);

    /// <inheritdoc />
    public async Task DeliveredAsync(Guid messageId, Delivery delivery)
    {
        await OnDeliveredAsync(messageId, delivery);
        await Lease!.SettleAsync();
        Arm(); // a failed send is due again after its backoff
    }

    private async Task OnDeliveredAsync(Guid messageId, Delivery delivery)
    {
        if (messageId == _renewal)
        {
            _renewal = null;
            await ApplyAsync(new LeaseAnswered(delivery.Delivered, delivery.LeaseAnswer));
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
            ExecutionLog.NotDelivered(logger, message.Kind, _state.Job, _state.Epoch, attempts, delivery.Error);
            return;
        }

        state.State.Outbox.Remove(message);
        await (_state.Live ? Task.CompletedTask : state.WriteStateAsync()); // live: its next step writes it (a resend is deduplicated)
        if (delivery.ReportAnswer is { Fenced: true } fenced)
        {
            await ApplyAsync(new CancellationReceived(_state.Job.Origin, new JobCancellation(_state.Job, _state.Epoch, fenced.Reason, Fenced: true)));
        }
    }

    /// <inheritdoc />
    public async Task EffectsDoneAsync()
    {
        while (_effects.Done.TryDequeue(out var input))
        {
            await ApplyAsync(input);
        }
    }

    /// <inheritdoc />
    public async Task WakeAsync()
    {
        if (!Lease!.NeedsWake)
        {
            await Lease.RemoveAsync();
            return;
        }

        // The sweeper's claim made the entry due at the next recheck already; a run waiting for accelerators looks now.
        await ApplyAsync(new Woken());
        Arm(force: true);
    }

    private async Task TickAsync()
    {
        Due.Fired();
        _outbox.SendDue(state.State.Outbox, time.GetUtcNow());
        if (!_state.Live && _state.Step == ExecutionStep.None && _state.Finishing is null)
        {
            Arm();
            return;
        }

        await ApplyAsync(await _runner.TickAsync(local.Code, _state, time.GetUtcNow()));
        Arm();
    }

    private async Task<Decision<ExecutionState, ExecutionEffect>> ApplyAsync(ExecutionInput input)
    {
        var decision = ExecutionLifecycle.Decide(_state, input, time.GetUtcNow(), _settings);
        if (decision.Rejected is { } rejected)
        {
            ExecutionLog.Rejected(logger, _state.Job, _state.Epoch, input.GetType().Name, rejected.Rule, rejected.Message);
            return decision;
        }

        var before = _state;
        _state = decision.State;
        var sent = await PersistAsync(before, decision, input);
        JobStages.Mark(_state.Job, "fr.committed");
        foreach (var message in sent)
        {
            _outbox.Send(message);
        }

        if (_state.Record is { } after && after.State != before.Record?.State && ExecutionState.IsOver(after.State))
        {
            ExecutionLog.Ended(logger, _state.Job, _state.Epoch, after.State, after.StateReason);
        }

        foreach (var effect in decision.Events)
        {
            if (await _effects.RunAsync(effect, _state) is { } next)
            {
                await ApplyAsync(next);
            }
        }

        await Lease!.SettleAsync();
        Arm();
        return decision;
    }

    /// <summary>Writes what changed (the record, the outbox) before anything is sent; returns the reports to send.</summary>
    private async Task<List<OutboxMessage>> PersistAsync(ExecutionState before, Decision<ExecutionState, ExecutionEffect> decision, ExecutionInput input)
    {
        var saved = state.State;
        var now = time.GetUtcNow();
        var dropped = decision.Events.OfType<DropOutbox>().Any() && saved.Outbox.Count > 0;
        if (dropped)
        {
            _outbox.ForgetAll(saved.Outbox); // nothing this epoch says counts any more
            saved.Outbox.Clear();
        }

        var reports = new List<OutboxMessage>();
        foreach (var outgoing in decision.Send)
        {
            var message = OutboxMessage.Create(outgoing.To, outgoing.Message, now) with { TraceParent = saved.TraceParent };
            if (outgoing.Message is RenewalMessage)
            {
                // Not persisted: a lost renewal is simply the next one.
                _renewal = message.Id;
                courier.Send(message, this.AsReference<IExecutionGrain>());
                continue;
            }

            reports.Add(message);
        }

        // Admitted: the lease entry, the decision's transparency entry and the run's charge are written with the state,
        // in one commit (an entry whose state write failed only wakes a grain that finds nothing live
        // and removes it; a logged decision whose state write failed is decided again, and logged again,
        // on the offer's retry).
        Task write = Task.CompletedTask, lease, logged;
        using (_grouping?.Together())
        {
            lease = !before.Live && _state.Live ? Lease!.HoldAsync(CancellationToken.None) : Task.CompletedTask;
            if (dropped || reports.Count > 0 || !ReferenceEquals(before.Record, _state.Record) || before.ReportSequence != _state.ReportSequence)
            {
                saved.Outbox.AddRange(reports);
                saved.Record = _state.Record;
                saved.ReportSequence = _state.ReportSequence;
                write = state.WriteStateAsync();
            }

            logged = _effects.RecordDecisionsAsync(_state, input, decision.Events);
        }

        await Task.WhenAll(write, lease, logged);
        return reports;
    }

    /// <summary>Arms the timer for the decider's clocks and the outbox's retries; <paramref name="force"/>: due now (a wake-up).</summary>
    private void Arm(bool force = false)
    {
        var now = time.GetUtcNow();
        var due = DueTimer.Earliest(ExecutionLifecycle.NextDue(_state, _settings), _outbox.NextDue(state.State.Outbox, now));
        Due.Arm(force ? DueTimer.Earliest(due, now) : due);
    }
}
