using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Execution.Workloads;
using Federation.Lifecycle.Executions;
using Federation.Protocol.Messages;
using static Federation.Lifecycle.Tests.Simulation.FederationSimulation;

namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>The executing side: offers, cancellations, report deliveries, effects, ticks and restarts.</summary>
public sealed partial class FederationSimulationNode
{
    private void Offered(FederationSimulationTurn turn, NationCode from, JobOffer offer)
    {
        var key = KeyOf(offer.Job, offer.Epoch);
        var existing = turn.State.Executions.TryGetValue(key, out var found);
        var execution = existing ? found! : new ExecutionSlot(ExecutionState.New(offer.Job, offer.Epoch), null, 0, [], [], null);
        var fenced = turn.State.PreOfferFences.Contains(key);
        var facts = ExecutionLifecycle.WantsAdmissionFacts(execution.Live, offer, fenced) ? AdmissionFactsOf(turn, from) : null;
        if (!existing)
        {
            Store(turn, key, execution);
        }

        var decision = ApplyExecution(turn, key, new OfferReceived(from, offer, turn.Local, fenced, facts));
        if (decision.Rejected is { } rejected)
        {
            turn.Reply = new Admission(turn.Local, offer.Epoch, false, rejected.Message);
            if (!existing)
            {
                turn.State = turn.State with { Executions = turn.State.Executions.Remove(key) };
            }

            return;
        }

        var live = turn.State.Executions[key].Live;
        turn.Reply = live.Record!.Admission;
        if (decision.Events.OfType<AdmissionDecided>().Any(d => d.Verdict.Admitted) && live.Live)
        {
            turn.Events.Add(new EpochAdmitted(offer.Job, offer.Epoch, turn.Local));
        }
    }

    /// <summary>
    /// What the real adapter gathers, as this nation has it: the simulated workload on the allow-list,
    /// its one pool, and — for a foreign job — the foreign executions live now against a share that
    /// admits <see cref="FederationSimulationSettings.Capacity"/> of them (the real rules then refuse when full).
    /// </summary>
    private AdmissionFacts AdmissionFactsOf(FederationSimulationTurn turn, NationCode from)
    {
        var foreign = turn.State.Executions.Values.Count(e => e.Live.Live && e.Live.Job.Origin != turn.Local);
        return new AdmissionFacts
        {
            Local = turn.Local,
            Today = DateOnly.FromDateTime(turn.Now.UtcDateTime),
            Workload = new WorkloadDefinition { Name = "train", Version = "1.0" },
            AllowList = ["train@1.0"],
            Pools = [PoolOf(turn)],
            // Each execution takes one accelerator: a share of Capacity of Accelerators admits Capacity foreign executions.
            ForeignShare = from == turn.Local ? null : new ForeignShare((double)settings.Capacity / settings.Accelerators, settings.Accelerators, foreign),
        };
    }

    private void Cancelled(FederationSimulationTurn turn, NationCode from, JobCancellation cancellation)
    {
        var key = KeyOf(cancellation.Job, cancellation.Epoch);
        if (!turn.State.Executions.ContainsKey(key))
        {
            // No execution here: the decider of a fresh one says whether to remember the fence.
            var fresh = ExecutionLifecycle.Decide(ExecutionState.New(cancellation.Job, cancellation.Epoch), new CancellationReceived(from, cancellation), turn.Now, settings.Executions);
            turn.Reject(fresh.Rejected);
            if (fresh.Accepted && fresh.Events.OfType<RememberPreOfferFence>().Any())
            {
                turn.State = turn.State with { PreOfferFences = turn.State.PreOfferFences.Add(key) };
            }

            turn.Reply = fresh.Accepted;
            return;
        }

        turn.Reply = ApplyExecution(turn, key, new CancellationReceived(from, cancellation)).Accepted;
    }

    private void ReportDelivered(FederationSimulationTurn turn, OutboxCall call, ExecutionSlot execution, object? reply, bool delivered)
    {
        var message = execution.Outbox.FirstOrDefault(m => m.Id == call.Id);
        if (message is null || !delivered)
        {
            return;
        }

        // A live epoch's next step writes the removal; an ended one writes it now.
        var outbox = execution.Outbox.Remove(message);
        Store(turn, call.Owner, execution with { Outbox = outbox, WrittenOutbox = execution.Live.Live ? execution.WrittenOutbox : outbox });
        if (reply is ReportAnswer { Fenced: true } fenced)
        {
            var job = execution.Live.Job;
            ApplyExecution(turn, call.Owner, new CancellationReceived(job.Origin, new JobCancellation(job, execution.Live.Epoch, fenced.Reason, Fenced: true)));
        }
    }

    /// <summary>One decision of an execution's decider, as <c>ExecutionGrain.ApplyAsync</c> applies it (persist, send, effects).</summary>
    private Decision<ExecutionState, ExecutionEffect> ApplyExecution(FederationSimulationTurn turn, string key, ExecutionInput input)
    {
        var execution = turn.State.Executions[key];
        var before = execution.Live;
        var decision = ExecutionLifecycle.Decide(before, input, turn.Now, settings.Executions);
        if (decision.Rejected is { } rejected)
        {
            turn.Reject(rejected);
            return decision;
        }

        var live = decision.State;
        var outbox = execution.Outbox;
        var dropped = decision.Events.OfType<DropOutbox>().Any() && !outbox.IsEmpty;
        if (dropped)
        {
            outbox.ForEach(m => turn.Forget(m.Id));
            outbox = [];
        }

        var reports = new List<OutboxMessage>();
        var renewal = execution.Renewal;
        foreach (var outgoing in decision.Send)
        {
            var message = new OutboxMessage { Id = turn.NextId(), To = outgoing.To, CreatedAt = turn.Now, Message = outgoing.Message };
            if (outgoing.Message is RenewalMessage)
            {
                // Not written: a lost renewal is simply the next one.
                renewal = message.Id;
                turn.Calls.Add((message.To, message.Message, new RenewalCall(key, message.Id)));
                continue;
            }

            reports.Add(message);
        }

        var (record, sequence, written) = (execution.WrittenRecord, execution.WrittenSequence, execution.WrittenOutbox);
        if (dropped || reports.Count > 0 || !ReferenceEquals(before.Record, live.Record) || before.ReportSequence != live.ReportSequence)
        {
            outbox = outbox.AddRange(reports);
            (record, sequence, written) = (live.Record, live.ReportSequence, outbox);
        }

        Store(turn, key, new ExecutionSlot(live, record, sequence, outbox, written, renewal));
        reports.ForEach(m => turn.Send(key, m));
        foreach (var effect in decision.Events)
        {
            if (RunEffect(turn, key, effect) is { } next)
            {
                ApplyExecution(turn, key, next);
            }
        }

        return decision;
    }

    /// <summary>An effect: the in-turn ones answer at once, the others come back later as <see cref="EffectDone"/>.</summary>
    private ExecutionInput? RunEffect(FederationSimulationTurn turn, string key, ExecutionEffect effect)
    {
        switch (effect)
        {
            case AllocateNodes allocate when turn.State.FreeAccelerators >= allocate.Count:
                turn.State = turn.State with { FreeAccelerators = turn.State.FreeAccelerators - allocate.Count };
                return new AllocationDone(ImmutableSortedDictionary<string, int>.Empty.Add($"node-{turn.Local}", allocate.Count));
            case AllocateNodes:
                return new AllocationFailed("no node has room");
            case ReleaseNodes release:
                turn.State = turn.State with { FreeAccelerators = turn.State.FreeAccelerators + release.Allocations.Values.Sum() };
                return null;
            case StageInputs:
                turn.Timers.Add((settings.StagingTime, new EffectDone(key, "staged")));
                return null;
            case StartRun:
                turn.Timers.Add((settings.StartTime, new EffectDone(key, "started")));
                return null;
            case PollRun:
                turn.Timers.Add((settings.PollTime, new EffectDone(key, "polled")));
                return null;
            case StopRun stop:
                StopProcess(turn, stop.Run.Handle, "stopped by its execution");
                return null;
            case BillRun bill:
                return new Billed(new JobResult { ExitCode = bill.ExitCode, Message = bill.Message, RunSeconds = bill.Elapsed.TotalSeconds, Executor = bill.Record.Run?.Executor });
            default:
                // RememberPreOfferFence is taken where a cancellation arrives; DropOutbox where the decision is written.
                return null;
        }
    }

    private void EffectCameBack(FederationSimulationTurn turn, EffectDone done)
    {
        if (!turn.State.Executions.TryGetValue(done.Execution, out var execution))
        {
            return;
        }

        var live = execution.Live;
        switch (done.Effect)
        {
            case "staged":
                ApplyExecution(turn, done.Execution, new StagingDone(0, "staged"));
                break;
            case "started" when live.Step == ExecutionStep.Starting:
                var handle = $"pid-{turn.NextId().ToString()[..8]}";
                var duration = DurationOf(live.Record!.Spec);
                turn.State = turn.State with { Processes = turn.State.Processes.Add(handle, new Process(live.Job, live.Epoch, turn.Now, duration, false)) };
                turn.Events.Add(new ProcessStarted(live.Job, live.Epoch, turn.Local));
                ApplyExecution(turn, done.Execution, new RunStarted(handle, $"/jobs/{done.Execution}", new ObservedRun(ObservedPhase.Running, "started")));
                break;
            case "polled":
                ApplyExecution(turn, done.Execution, new RunPolled(Observe(turn, live.Record?.Run?.Handle)));
                break;
            default:
                break;
        }
    }

    private static ObservedRun Observe(FederationSimulationTurn turn, string? handle)
    {
        if (handle is null || !turn.State.Processes.TryGetValue(handle, out var process))
        {
            return new ObservedRun(ObservedPhase.Lost, "no such process");
        }

        if (process.Stopped)
        {
            return new ObservedRun(ObservedPhase.Cancelled, "stopped");
        }

        var ran = turn.Now - process.StartedAt;
        return ran >= process.Duration
            ? new ObservedRun(ObservedPhase.Succeeded, "exit 0", 0, 1, process.Duration)
            : new ObservedRun(ObservedPhase.Running, "running", Progress: ran / process.Duration);
    }

    private static void StopProcess(FederationSimulationTurn turn, string? handle, string why)
    {
        if (handle is not null && turn.State.Processes.TryGetValue(handle, out var process) && !process.Stopped)
        {
            turn.State = turn.State with { Processes = turn.State.Processes.SetItem(handle, process with { Stopped = true }) };
            turn.Events.Add(new ProcessStopped(process.Job, process.Epoch, why));
        }
    }

    /// <summary>How long a job's run takes: its accelerator-hours, read as minutes (the workload keeps them short).</summary>
    public static TimeSpan DurationOf(JobSpec spec) => TimeSpan.FromMinutes(spec.Work.AcceleratorHours ?? 0.5);

    private static void Store(FederationSimulationTurn turn, string key, ExecutionSlot execution) =>
        turn.State = turn.State with { Executions = turn.State.Executions.SetItem(key, execution) };
}
