using System.Security.Cryptography;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Learning.Aggregation;
using Federation.Learning.Participant;
using Federation.Learning.Protocol;
using Federation.Learning.Quantisation;

namespace Federation.Learning.Run;

/// <summary>
/// A data nation's decider for its part of a federated run: on each round start it re-checks its dataset's
/// export policy, makes a fresh <see cref="SecureAggregationParticipant"/> (ephemeral keys held only here,
/// in memory) and asks its edge to train locally; it shares keys on the relayed adverts, and once both the
/// shares addressed to it and its local result are in, it encodes the sample-weighted update, masks it and
/// sends only the masked input and the metrics. A message for a session it holds no keys for (it
/// restarted) is refused and answered with <see cref="ParticipantReady"/>.
/// </summary>
public sealed class FederatedRunParticipant : IDisposable
{
    private readonly JobRef _job;
    private readonly NationCode _self;
    private readonly NationCode _aggregator;
    private readonly ECDsa _federationKey;
    private readonly IReadOnlyDictionary<NationCode, ECDsa> _roster;
    private readonly ExportPolicy _exports;
    private readonly AggregationRule _rule;
    private readonly QuantisationParameters _quantisation;
    private SecureAggregationParticipant? _secagg;
    private RoundStart? _start;
    private RelayedShares? _shares;
    private LocalStepResult? _result;
    private bool _masked;

    /// <summary>Creates the contributor <paramref name="self"/> of <paramref name="job"/>, whose input's export policy is <paramref name="exports"/>.</summary>
    public FederatedRunParticipant(
        JobRef job, NationCode self, NationCode aggregator, ECDsa federationKey, IReadOnlyDictionary<NationCode, ECDsa> roster,
        ExportPolicy exports, AggregationRule rule, QuantisationParameters quantisation)
    {
        _job = job;
        _self = self;
        _aggregator = aggregator;
        _federationKey = federationKey ?? throw new ArgumentNullException(nameof(federationKey));
        _roster = roster ?? throw new ArgumentNullException(nameof(roster));
        _exports = exports;
        _rule = rule ?? throw new ArgumentNullException(nameof(rule));
        _quantisation = quantisation ?? throw new ArgumentNullException(nameof(quantisation));
    }

    /// <summary>True once the aggregator said the run ended: this nation's part is over and it accepts no more round messages.</summary>
    public bool Ended { get; private set; }

    /// <summary>The session this nation holds keys for, if any.</summary>
    public RoundKey? Session => _start?.Session;

    /// <summary>Tells the aggregator this nation is up and holds no round keys (at start and after a restart).</summary>
    public RunEnvelope Ready() => new(_self, _aggregator, new ParticipantReady(_job, _self));

    /// <summary>Handles a round message from <paramref name="sender"/> (the authenticated peer).</summary>
    public RunStep Receive(NationCode sender, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (sender != _aggregator)
        {
            return RunStep.Refused(RefusalReason.NotInRound, $"{sender} is not the aggregator of {_job} ({_aggregator}); only it sends round messages.");
        }

        if (Ended)
        {
            return RunStep.Refused(RefusalReason.WrongStage, $"The run of {_job} has ended; a {message.GetType().Name} is not expected.");
        }

        try
        {
            return message switch
            {
                RoundStart m => Begin(m),
                RelayedAdverts m => Current(m.Session, () => Send(_secagg!.ShareKeys(m.Adverts))),
                RelayedShares m => Current(m.Session, () =>
                {
                    _shares = _shares is null ? m : throw new RoundMessageRefusedException(RefusalReason.Duplicate, $"Shares for {m.Session} were already relayed.");
                    return MaskIfReady();
                }),
                UnmaskingRequest m => Current(m.Round, () => Send(_secagg!.Unmask(m))),
                RunEnded m => End(m),
                _ => RunStep.Refused(RefusalReason.Malformed, $"A {message.GetType().Name} is not a round message for a contributor."),
            };
        }
        catch (RoundMessageRefusedException e)
        {
            return RunStep.Refused(e.Reason, e.Message);
        }
    }

    /// <summary>The local training step finished: masks and sends the update once the shares are in.</summary>
    public RunStep Complete(LocalStepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (Ended || _start is null || result.Session != _start.Session)
        {
            return RunStep.Refused(RefusalReason.WrongRound, $"The local step is for {result.Session}; this nation is in {(_start is null ? "no session" : _start.Session)}.");
        }

        if (result.Weights.IsDefault || result.Weights.Length != _start.GlobalWeights.Length || result.Weights.Any(w => !double.IsFinite(w))
            || result.Samples < 1 || !double.IsFinite(result.ValidationLoss) || result.ValidationLoss < 0
            || !double.IsFinite(result.ValidationAccuracy) || result.ValidationAccuracy is < 0 or > 1 || result.ValidationSamples < 1)
        {
            return RunStep.Refused(RefusalReason.Malformed,
                $"The local step's result must hold {_start.GlobalWeights.Length} finite weights, samples at least 1, a finite validation loss at least 0, an accuracy 0 to 1 and validation samples at least 1.");
        }

        if (RoundMetrics.CostProblem(result.EnergyKwh, result.EmissionsGco2e, "the local step's ") is { } cost)
        {
            return RunStep.Refused(RefusalReason.Malformed, cost + ".");
        }

        _result = result;
        try
        {
            return MaskIfReady();
        }
        catch (RoundMessageRefusedException e)
        {
            return RunStep.Refused(e.Reason, e.Message);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _secagg?.Dispose();

    private RunStep Begin(RoundStart start)
    {
        if (start.Session.Job != _job)
        {
            return RunStep.Refused(RefusalReason.WrongJob, $"RoundStart is for job {start.Session.Job}, not {_job}.");
        }

        if (_start is not null && start.Session.Round <= _start.Session.Round)
        {
            return RunStep.Refused(RefusalReason.WrongRound, $"RoundStart for {start.Session} is not after {_start.Session}: replayed or stale.");
        }

        if (_exports is not (ExportPolicy.MaskedUpdates or ExportPolicy.Updates))
        {
            return RunStep.Refused(RefusalReason.Unsafe,
                $"This nation's input exports '{_exports}': no model update derived from it may leave {_self}, masked or not.");
        }

        if (!start.Contributors.Contains(_self) || start.GlobalWeights.IsDefaultOrEmpty || start.GlobalWeights.Any(w => !double.IsFinite(w)))
        {
            return RunStep.Refused(RefusalReason.Malformed, $"RoundStart for {start.Session} must list {_self} among contributors and carry finite global weights.");
        }

        _secagg?.Dispose();
        _secagg = new SecureAggregationParticipant(start.Session, _self, _federationKey, _roster, start.Threshold);
        _start = start;
        _shares = null;
        _result = null;
        _masked = false;
        return new RunStep(MessageVerdict.Accept, [new RunEnvelope(_self, _aggregator, _secagg.Advertise())],
            new LocalStepRequest(start.Session, start.Round, start.GlobalWeights));
    }

    private RunStep End(RunEnded ended)
    {
        if (ended.Job != _job)
        {
            return RunStep.Refused(RefusalReason.WrongJob, $"RunEnded is for job {ended.Job}, not {_job}.");
        }

        Ended = true;
        _secagg?.Dispose();
        _secagg = null;
        _start = null;
        _shares = null;
        _result = null;
        return new RunStep(MessageVerdict.Accept, []);
    }

    private RunStep Current(RoundKey session, Func<RunStep> act)
    {
        if (session.Job != _job)
        {
            return RunStep.Refused(RefusalReason.WrongJob, $"The message is for job {session.Job}, not {_job}.");
        }

        if (_start is null || _secagg is null)
        {
            return new RunStep(MessageVerdict.Refuse(RefusalReason.WrongRound, $"{_self} holds no keys for {session} (it restarted); it reports ready."), [Ready()]);
        }

        return session != _start.Session
            ? RunStep.Refused(RefusalReason.WrongRound, $"The message is for {session}; {_self} is in {_start.Session}: replayed or stale.")
            : act();
    }

    private RunStep MaskIfReady()
    {
        if (_shares is null || _result is null || _masked)
        {
            return new RunStep(MessageVerdict.Accept, []);
        }

        var global = _start!.GlobalWeights;
        var delta = new double[global.Length];
        for (var i = 0; i < delta.Length; i++)
        {
            delta[i] = _result.Weights[i] - global[i];
        }

        var encoded = UpdateEncoder.Encode(delta, _result.Samples, _rule, _quantisation, RoundingMode.Stochastic, RandomNumberGenerator.GetInt32(int.MaxValue));
        var masked = _secagg!.MaskInput(_shares.Shares, encoded.Levels.AsSpan());
        _masked = true;
        var metrics = new RoundMetrics(_start.Session, _self, _result.ValidationLoss, _result.ValidationAccuracy, _result.ValidationSamples)
        {
            EnergyKwh = _result.EnergyKwh,
            EmissionsGco2e = _result.EmissionsGco2e,
        };
        return new RunStep(MessageVerdict.Accept, [new RunEnvelope(_self, _aggregator, masked), new RunEnvelope(_self, _aggregator, metrics)]);
    }

    private RunStep Send(object message) => new(MessageVerdict.Accept, [new RunEnvelope(_self, _aggregator, message)]);
}
