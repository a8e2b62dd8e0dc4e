using System.Collections.Immutable;
using System.Text.Json;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Json;
using Federation.Contracts.Learning;
using Federation.Grains.Nations;
using Federation.Learning.Protocol;
using Federation.Learning.Run;
using Federation.Protocol.Rounds;

namespace Federation.Grains.Learning;

/// <summary>
/// A data nation's part in a federated run (<see cref="IRunParticipantGrain"/>): keeps the
/// <see cref="FederatedRunParticipant"/> (its round keys only in this activation's memory), starts the
/// local step through <see cref="ILocalStepRunner"/> and sends its answers through the outbox. A new
/// activation holds no keys, so it tells the aggregator it is ready and the round restarts with fresh keys.
/// </summary>
[GrainType("run-participant")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The decider is disposed in OnDeactivateAsync, where a grain activation ends.")]
public sealed class RunParticipantGrain(
    [PersistentState("run-participant", GrainStorageNames.Jobs)] IPersistentState<RunParticipantGrainState> state,
    IRoundCourier courier,
    ILocalStepRunner steps,
    IRunKeyDirectory keys,
    LocalNation local,
    Federation.Reference.ReferenceTables reference,
    TimeProvider time) : Grain, IRunParticipantGrain
{
    private FederatedRunParticipant? _run;
    private RoundOutbox? _outbox;
    private IGrainTimer? _timer;

    private JobRef Job => TypedId.Parse<JobRef>(this.GetPrimaryKeyString()["part-".Length..]);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _outbox = new RoundOutbox(courier, this.AsReference<IRunParticipantGrain>(), time);
        if (state.State.Participation is { } participation)
        {
            Create(participation);
            await SendAsync([_run!.Ready()]);
        }
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _run?.Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task JoinAsync(RunParticipation participation)
    {
        ArgumentNullException.ThrowIfNull(participation);
        if (participation.Job != Job)
        {
            throw new ArgumentException($"participation.Job: {participation.Job} is not this grain's job {Job}.", nameof(participation));
        }

        if (state.State.Participation is null)
        {
            state.State.Participation = participation;
            Create(participation);
            await SendAsync([_run!.Ready()]);
        }
    }

    /// <inheritdoc />
    public async Task<RoundDelivery> ReceiveAsync(NationCode sender, string document)
    {
        if (_run is null || state.State.Participation is not { } participation)
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

        if (message is RoundStart start)
        {
            // The other contributors' keys verify the adverts the aggregator relays: learn them before the round.
            var unknown = await keys.EnsureAsync(start.Contributors);
            if (unknown.Count > 0)
            {
                return Refuse(RefusalReason.NotInRound, $"The federation keys of {string.Join(", ", unknown)} are not known here; the round cannot be verified.");
            }
        }

        var step = _run.Receive(sender, message);
        await SendAsync(step.Send);
        if (!step.Verdict.Accepted)
        {
            return Refuse(step.Verdict.Reason!.Value, step.Verdict.Detail ?? "refused");
        }

        if (_run.Ended)
        {
            await EndAsync();
            return RoundDelivery.Ok;
        }

        if (step.Train is { } train)
        {
            steps.Run(participation, train, this.AsReference<IRunParticipantGrain>());
        }

        return RoundDelivery.Ok;
    }

    /// <inheritdoc />
    public async Task StepDoneAsync(LocalStepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (_run is null || outcome.Error is not null)
        {
            // A failed step sends nothing: this nation drops out of the round, and the aggregator's policy decides.
            return;
        }

        var session = new RoundKey(Job, outcome.Session);
        var emissions = StepCarbon.Gco2e(outcome.EnergyKwh, await StepCarbon.IntensityAsync(GrainFactory, reference));
        var step = _run.Complete(new LocalStepResult(
            session, outcome.Weights, outcome.Samples, outcome.ValidationLoss, outcome.ValidationAccuracy, outcome.ValidationSamples, outcome.EnergyKwh, emissions));
        await SendAsync(step.Send);
    }

    /// <inheritdoc />
    public async Task DeliveredAsync(Guid messageId, Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (_outbox!.Ended(messageId, delivery.Delivered) && state.State.Outbox.RemoveAll(e => e.Id == messageId) > 0)
        {
            await state.WriteStateAsync();
        }
    }

    // The aggregator said the run ended: forget the keys, the state and the round material, and stop waiting.
    private async Task EndAsync()
    {
        _run?.Dispose();
        _run = null;
        _timer?.Dispose();
        _timer = null;
        _ = steps.ForgetAsync(Job);
        await state.ClearStateAsync();
        this.DeactivateOnIdle();
    }

    private void Create(RunParticipation participation)
    {
        _run?.Dispose();
        _run = new FederatedRunParticipant(Job, local.Code, participation.Aggregator, keys.Own, new KeyView(keys),
            participation.Exports, RunTermsOf.Rule(participation.Terms), RunTermsOf.Quantisation);
        _timer ??= this.RegisterGrainTimer(() =>
        {
            _outbox!.SendDue(Job, state.State.Outbox);
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions { DueTime = TimeSpan.FromSeconds(1), Period = TimeSpan.FromSeconds(1), KeepAlive = true });
    }

    private async Task SendAsync(ImmutableArray<RunEnvelope> send)
    {
        if (send.Length == 0)
        {
            return;
        }

        state.State.Outbox.AddRange(send.Select(RoundOutbox.Entry));
        await state.WriteStateAsync();
        _outbox!.SendDue(Job, state.State.Outbox);
    }

    private static RoundDelivery Refuse(RefusalReason reason, string detail)
    {
        var name = reason.ToString();
        return new RoundDelivery(false, char.ToLowerInvariant(name[0]) + name[1..], detail);
    }
}
