using System.Collections.Immutable;
using System.Text.Json;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Contracts.Learning;
using Federation.Learning.Protocol;
using Federation.Learning.Run;
using Federation.Protocol.Rounds;

namespace Federation.Grains.Learning;

/// <summary>
/// The aggregating nation's coordinator of a federated run (<see cref="IFederatedRunGrain"/>): keeps the
/// <see cref="FederatedRunCoordinator"/>, persists what it decided, sends what it asks through the outbox,
/// and ticks it on a timer so that stage timeouts and the wait bound hold without any message.
/// </summary>
[GrainType("federated-run")]
public sealed class FederatedRunGrain(
    [PersistentState("federated-run", GrainStorageNames.Jobs)] IPersistentState<FederatedRunGrainState> state,
    IRoundCourier courier,
    IRunKeyDirectory keys,
    Federation.Grains.Nations.LocalNation local,
    TimeProvider time) : Grain, IFederatedRunGrain
{
    private readonly HashSet<NationCode> _ready = [];
    private FederatedRunCoordinator? _run;
    private RoundOutbox? _outbox;
    private IGrainTimer? _timer;
    private int _refusals;

    private JobRef Job => TypedId.Parse<JobRef>(this.GetPrimaryKeyString()["run-".Length..]);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _outbox = new RoundOutbox(courier, this.AsReference<IFederatedRunGrain>(), time);
        if (state.State.Plan is not null && !Finished)
        {
            Arm();
            _outbox.SendDue(Job, state.State.Outbox);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<FederatedRunStatus> StartAsync(FederatedRunPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Job != Job)
        {
            throw new ArgumentException($"plan.Job: {plan.Job} is not this grain's job {Job}.", nameof(plan));
        }

        if (state.State.Plan is null)
        {
            _ = RunTermsOf.Rule(plan.Terms);
            state.State.Plan = plan;
            state.State.GlobalWeights = [.. plan.InitialWeights];
            state.State.Phase = "awaitingContributors";
            state.State.Reason = $"inviting {string.Join(", ", plan.Contributors)} to take part";
            state.State.StartedAt = time.GetUtcNow();
            state.State.Outbox.AddRange(RunInvitations.Of(plan, local.Code).Select(RoundOutbox.Entry));
            await state.WriteStateAsync();
            Arm();
            _outbox!.SendDue(Job, state.State.Outbox);
        }

        return Status();
    }

    /// <inheritdoc />
    public async Task<FederatedRunStatus> StopAsync(string reason)
    {
        if (state.State.Plan is not null && !Finished)
        {
            _run = null;
            state.State.Phase = "stopped";
            state.State.Reason = string.IsNullOrWhiteSpace(reason) ? "stopped" : reason;
            Notify();
            await state.WriteStateAsync();
            Arm();
            _outbox!.SendDue(Job, state.State.Outbox);
        }

        return Status();
    }

    /// <inheritdoc />
    public Task<FederatedRunStatus> GetStatusAsync() => Task.FromResult(Status());

    /// <inheritdoc />
    public Task<ImmutableArray<double>> GetGlobalWeightsAsync() =>
        Task.FromResult(state.State.Plan is null ? ImmutableArray<double>.Empty : [.. state.State.GlobalWeights]);

    /// <inheritdoc />
    public Task<FederatedRunLineage?> GetLineageAsync() =>
        Task.FromResult(state.State.Plan is null ? null : RunLineage.Of(Job, state.State.History));

    /// <inheritdoc />
    public async Task<RoundDelivery> ReceiveAsync(NationCode sender, string document)
    {
        if (state.State.Plan is not { } plan)
        {
            return RoundDelivery.NoRun(Job.ToString());
        }

        object message;
        try
        {
            message = RoundMessageCodec.Read(sender, JsonSerializer.Deserialize<RoundMessageDocument>(document, FederationJson.Options));
        }
        catch (RoundMessageRefusedException e)
        {
            return Refuse(e.Reason, e.Message);
        }

        if (!plan.Contributors.Contains(sender))
        {
            return Refuse(RefusalReason.NotInRound, $"{sender} is not a contributor of {Job}.");
        }

        if (_run is null)
        {
            if (message is not ParticipantReady)
            {
                return Refuse(RefusalReason.WrongStage, $"The run of {Job} is {state.State.Phase}: it opens a round once every contributor reported ready.");
            }

            _ready.Add(sender);
            await OpenAsync(plan);
            return RoundDelivery.Ok;
        }

        var step = _run.Receive(sender, message);
        if (!step.Verdict.Accepted)
        {
            return Refuse(step.Verdict.Reason!.Value, step.Verdict.Detail ?? "refused");
        }

        await SaveAsync(step.Send);
        return RoundDelivery.Ok;
    }

    /// <inheritdoc />
    public async Task DeliveredAsync(Guid messageId, Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var entry = state.State.Outbox.Find(e => e.Id == messageId);
        if (_outbox!.Ended(messageId, delivery.Delivered) && state.State.Outbox.Remove(entry!))
        {
            if (entry is { Kind: RunInvitations.Kind } && delivery.Error is { } refusal && !Finished && _run is null)
            {
                (state.State.Phase, state.State.Reason) = RunInvitations.Refused(state.State.Plan!, entry.To, refusal, RunTermsOf.WaitBound(state.State.Plan!.Terms));
                if (Finished)
                {
                    Notify();
                }
            }

            await state.WriteStateAsync();
            if (entry!.Kind != RunInvitations.Kind && delivery.Error is { } error && RunInvitations.SaysNoRun(error) && _run is not null && !Finished)
            {
                // The contributor restarted without its state: a dropout of this round, invited again.
                await SaveAsync(_run.Forgot(entry.To));
            }
        }
    }

    private bool Finished => state.State.Phase is "succeeded" or "stopped";

    private async Task OpenAsync(FederatedRunPlan plan)
    {
        if (plan.Contributors.Any(n => !_ready.Contains(n)) || (await keys.EnsureAsync(plan.Contributors)).Count > 0)
        {
            return;
        }

        var contributors = plan.Contributors.ToDictionary(n => n, n => keys.Find(n)!);
        var terms = RunTermsOf.Create(plan, local.Code, contributors);
        _run = new FederatedRunCoordinator(terms, [.. state.State.GlobalWeights], time);
        await SaveAsync(state.State.Round == 0 ? _run.Start() : _run.Resume(state.State.Round, state.State.Attempt, state.State.History));
    }

    private async Task TickAsync()
    {
        if (_run is null && state.State is { Phase: "awaitingContributors", StartedAt: { } started, Plan: { } plan }
            && time.GetUtcNow() - started >= RunTermsOf.WaitBound(plan.Terms))
        {
            var missing = plan.Contributors.Where(n => !_ready.Contains(n)).Select(n => n.Value);
            state.State.Phase = "stopped";
            state.State.Reason = $"{string.Join(", ", missing)} did not join within {RunTermsOf.WaitBound(plan.Terms).TotalMinutes:0.#} minutes (the round policy's wait bound): {state.State.Reason}";
            Notify();
            await state.WriteStateAsync();
        }
        else if (_run is not null)
        {
            var send = _run.Tick();
            if (send.Length > 0 || Phase(_run.Phase) != state.State.Phase || _run.History.Count != state.State.History.Count)
            {
                await SaveAsync(send);
            }
        }

        _outbox!.SendDue(Job, state.State.Outbox);
        if (Finished && state.State.Outbox.Count == 0)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private async Task SaveAsync(ImmutableArray<RunEnvelope> send)
    {
        var s = state.State;
        s.Round = _run!.Round;
        s.Attempt = _run.Attempt;
        s.GlobalWeights = [.. _run.GlobalWeights];
        s.History = [.. _run.History];
        s.Phase = Phase(_run.Phase);
        s.Reason = _run.Reason;
        s.Outbox.AddRange([.. send.SelectMany(e => e.Body is RunRejoin again ? RunInvitations.Again(s.Plan!, local.Code, again.Nation, s.Outbox) : [RoundOutbox.Entry(e)])]);
        await state.WriteStateAsync();
        _outbox!.SendDue(Job, s.Outbox);
    }

    // Tells every contributor that the run stopped before its coordinator did (cancelled, or never opened a round).
    private void Notify() => state.State.Outbox.AddRange(state.State.Plan!.Contributors.Select(n =>
        RoundOutbox.Entry(new RunEnvelope(local.Code, n, new RunEnded(Job, local.Code, RunEnded.Stopped)))));

    private void Arm()
    {
        if (_timer is null && state.State.Plan is { } plan)
        {
            var every = TimeSpan.FromTicks(Math.Clamp(plan.StageTimeout.Ticks / 10, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(15).Ticks));
            _timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions { DueTime = every, Period = every, KeepAlive = true });
        }
    }

    private RoundDelivery Refuse(RefusalReason reason, string detail)
    {
        _refusals++;
        var name = reason.ToString();
        return new RoundDelivery(false, char.ToLowerInvariant(name[0]) + name[1..], detail);
    }

    private FederatedRunStatus Status()
    {
        var s = state.State;
        var last = s.History.LastOrDefault(r => r.Outcome == "completed");
        return new FederatedRunStatus(Job, s.Phase, s.Round, s.Attempt, s.History.Count(r => r.Outcome == "completed"),
            last?.ValidationLoss, last?.ValidationAccuracy, s.Reason, _refusals);
    }

    private static string Phase(RunPhase phase) => phase switch
    {
        RunPhase.Created => "awaitingContributors",
        RunPhase.Running => "running",
        RunPhase.Waiting => "waiting",
        RunPhase.Succeeded => "succeeded",
        _ => "stopped",
    };
}
