using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Learning.Aggregation;
using Federation.Learning.Protocol;
using Federation.Learning.Round;

namespace Federation.Learning.Run;

/// <summary>
/// The aggregating nation's decider for a whole federated run: opens each round (and each retry of a round,
/// with fresh keys) by sending the global weights, relays adverts, shares and the unmasking request
/// through a <see cref="SecureAggregationRound"/>, averages the unmasked sum into the next global
/// weights, reads the contributors' metrics for the stopping rule, and applies the round policy when
/// nations go missing. Pure: no I/O; time from the given <see cref="TimeProvider"/>. It only ever holds
/// masked inputs, sealed shares, released shares and metrics (<see cref="Received"/>).
/// </summary>
public sealed class FederatedRunCoordinator
{
    private readonly RunTerms _terms;
    private readonly TimeProvider _time;
    private readonly List<RoundRecord> _history = [];
    private readonly List<object> _received = [];
    private readonly Dictionary<NationCode, RoundMetrics> _metrics = [];
    private readonly HashSet<NationCode> _readySinceOpen = [];
    private readonly HashSet<NationCode> _forgotSinceOpen = [];
    private DateTimeOffset _lastRejoin;
    private SecureAggregationRound? _round;
    private DateTimeOffset _lastProgress;
    private double? _lastLoss;
    private int _noisyRounds;

    /// <summary>Creates the run before its first round, from the initial global weights.</summary>
    public FederatedRunCoordinator(RunTerms terms, ImmutableArray<double> initialWeights, TimeProvider time)
    {
        _terms = terms ?? throw new ArgumentNullException(nameof(terms));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        if (initialWeights.IsDefault || initialWeights.Length != terms.ModelLength || initialWeights.Any(w => !double.IsFinite(w)))
        {
            throw new ArgumentException($"initialWeights must hold {terms.ModelLength} finite numbers.", nameof(initialWeights));
        }

        GlobalWeights = initialWeights;
    }

    /// <summary>Where the run is.</summary>
    public RunPhase Phase { get; private set; } = RunPhase.Created;

    /// <summary>The current round, from 1.</summary>
    public int Round { get; private set; }

    /// <summary>The current attempt of the round, from 0.</summary>
    public int Attempt { get; private set; }

    /// <summary>The current session key (job and round·attempt).</summary>
    public RoundKey Session => _terms.Session(Round, Attempt);

    /// <summary>The global model: the initial weights, then each completed round's average applied.</summary>
    public ImmutableArray<double> GlobalWeights { get; private set; }

    /// <summary>Why the run waits or stopped; null while running normally or after success.</summary>
    public string? Reason { get; private set; }

    /// <summary>Every round attempt's outcome, in order.</summary>
    public IReadOnlyList<RoundRecord> History => _history;

    /// <summary>Every message the coordinator accepted, in order: what the aggregating nation ever held from contributors.</summary>
    public IReadOnlyList<object> Received => _received;

    /// <summary>The latest round's validation loss (mean over contributors weighted by validation rows), if any.</summary>
    public double? ValidationLoss => _lastLoss;

    /// <summary>Opens round 1.</summary>
    public ImmutableArray<RunEnvelope> Start()
    {
        if (Phase != RunPhase.Created)
        {
            throw new InvalidOperationException($"The run of {_terms.Job} has already started.");
        }

        _lastProgress = _time.GetUtcNow();
        return Open(1, 0);
    }

    /// <summary>
    /// Resumes a run whose aggregator lost its round keys (its grain was re-activated): <paramref name="history"/>
    /// is what was recorded, and <paramref name="round"/> opens again with the attempt after <paramref name="attempt"/>,
    /// with fresh keys, so that nothing of the lost session is trusted.
    /// </summary>
    public ImmutableArray<RunEnvelope> Resume(int round, int attempt, IEnumerable<RoundRecord> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (Phase != RunPhase.Created)
        {
            throw new InvalidOperationException($"The run of {_terms.Job} has already started.");
        }

        if (round is < 1 or > RunTerms.MaxRounds || attempt is < 0 or >= RunTerms.MaxAttempts)
        {
            throw new ArgumentOutOfRangeException(nameof(round), $"round must be 1 to {RunTerms.MaxRounds} and attempt 0 to {RunTerms.MaxAttempts - 1}.");
        }

        _history.AddRange(history);
        _noisyRounds = _history.Count(r => r.Budget is not null);
        _lastLoss = _history.LastOrDefault(r => r.ValidationLoss is not null)?.ValidationLoss;
        _lastProgress = _time.GetUtcNow();
        Round = round;
        Attempt = attempt;
        Record("retried", [], [], "the aggregator restarted; the round restarts with fresh keys.");
        return Retry();
    }

    /// <summary>Accepts a round message from <paramref name="sender"/> (the authenticated peer) and returns what to send, or refuses it naming the rule.</summary>
    public RunStep Receive(NationCode sender, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_terms.Contributors.ContainsKey(sender))
        {
            return RunStep.Refused(RefusalReason.NotInRound, $"{sender} is not a contributor of {_terms.Job}.");
        }

        var session = message switch
        {
            KeyAdvert m => m.Round,
            ShareKeysMessage m => m.Round,
            MaskedInput m => m.Round,
            UnmaskingResponse m => m.Round,
            RoundMetrics m => m.Session,
            _ => (RoundKey?)null,
        };
        if (session is { } key && (Phase == RunPhase.Created || key != Session))
        {
            return key.Job != _terms.Job
                ? RunStep.Refused(RefusalReason.WrongJob, $"The {message.GetType().Name} from {sender} is for job {key.Job}, not {_terms.Job}.")
                : RunStep.Refused(RefusalReason.WrongRound, $"The {message.GetType().Name} from {sender} is for {key}, not {Session} (round {Round}, attempt {Attempt}): replayed or stale.");
        }

        if (Phase is RunPhase.Created or RunPhase.Succeeded or RunPhase.Stopped)
        {
            return RunStep.Refused(RefusalReason.WrongStage, $"The run of {_terms.Job} is {Phase}; a {message.GetType().Name} from {sender} is not expected.");
        }

        var verdict = message switch
        {
            KeyAdvert m => _round!.Receive(sender, m),
            ShareKeysMessage m => _round!.Receive(sender, m),
            MaskedInput m => _round!.Receive(sender, m),
            UnmaskingResponse m => _round!.Receive(sender, m),
            RoundMetrics m => Accept(sender, m),
            ParticipantReady m => m.Job != _terms.Job
                ? MessageVerdict.Refuse(RefusalReason.WrongJob, $"ParticipantReady from {sender} is for job {m.Job}, not {_terms.Job}.")
                : m.From != sender ? MessageVerdict.Refuse(RefusalReason.SenderMismatch, $"ParticipantReady claims {m.From} but {sender} sent it.") : MessageVerdict.Accept,
            _ => MessageVerdict.Refuse(RefusalReason.Malformed, $"A {message.GetType().Name} is not a round message for the aggregator."),
        };
        if (!verdict.Accepted)
        {
            return new RunStep(verdict, []);
        }

        _received.Add(message);
        if (message is ParticipantReady)
        {
            _readySinceOpen.Add(sender);
        }

        if (message is ParticipantReady && Phase == RunPhase.Waiting)
        {
            Record("retried", [], [], $"{sender} returned; the round restarts with fresh keys.");
            return new RunStep(verdict, Retry());
        }

        return new RunStep(verdict, Advance());
    }

    /// <summary>
    /// <paramref name="nation"/> answered a message of the run with "no run here": it restarted without its state
    /// (a nation in memory). For a contributor of a running or waiting run that is a dropout of this round (the
    /// stage goes on without it at its timeout, its masks rebuilt from the Shamir shares if it had shared keys),
    /// and it is invited again, once per attempt: when it reports ready it is in the next round, or the waiting
    /// round restarts with fresh keys.
    /// </summary>
    public ImmutableArray<RunEnvelope> Forgot(NationCode nation) =>
        _terms.Contributors.ContainsKey(nation) && nation != _terms.Aggregator && Phase is RunPhase.Running or RunPhase.Waiting && _forgotSinceOpen.Add(nation)
            ? [Rejoin(nation)]
            : [];

    /// <summary>Moves the run on with the time: stage timeouts, the wait bound.</summary>
    public ImmutableArray<RunEnvelope> Tick() => Phase is RunPhase.Running or RunPhase.Waiting ? Advance() : [];

    private MessageVerdict Accept(NationCode sender, RoundMetrics m)
    {
        if (m.From != sender)
        {
            return MessageVerdict.Refuse(RefusalReason.SenderMismatch, $"RoundMetrics claims {m.From} but {sender} sent it.");
        }

        if (m.Session != Session)
        {
            return MessageVerdict.Refuse(m.Session.Job == _terms.Job ? RefusalReason.WrongRound : RefusalReason.WrongJob,
                $"RoundMetrics from {sender} are for {m.Session}, not {Session}: replayed or stale.");
        }

        if (!double.IsFinite(m.ValidationLoss) || m.ValidationLoss < 0 || !double.IsFinite(m.ValidationAccuracy) || m.ValidationAccuracy is < 0 or > 1
            || m.ValidationSamples < 1)
        {
            return MessageVerdict.Refuse(RefusalReason.Malformed,
                $"RoundMetrics from {sender}: validationLoss must be finite and at least 0, validationAccuracy 0 to 1, validationSamples at least 1.");
        }

        if (RoundMetrics.CostProblem(m.EnergyKwh, m.EmissionsGco2e, "") is { } cost)
        {
            return MessageVerdict.Refuse(RefusalReason.Malformed, $"RoundMetrics from {sender}: {cost}.");
        }

        return _metrics.TryAdd(sender, m) ? MessageVerdict.Accept : MessageVerdict.Refuse(RefusalReason.Duplicate, $"{sender} already sent its metrics for {Session}.");
    }

    private ImmutableArray<RunEnvelope> Open(int round, int attempt)
    {
        Round = round;
        Attempt = attempt;
        Phase = RunPhase.Running;
        Reason = null;
        _metrics.Clear();
        _readySinceOpen.Clear();
        _forgotSinceOpen.Clear();
        var shortfall = _terms.Policy switch
        {
            RoundFailurePolicy.Wait => ShortfallPolicy.Wait,
            RoundFailurePolicy.SkipNation => ShortfallPolicy.Skip,
            _ => ShortfallPolicy.Stop,
        };
        _round = new SecureAggregationRound(
            new RoundConfiguration(Session, _terms.Aggregator, _terms.Contributors, _terms.Threshold, _terms.ModelLength + 1, _terms.StageTimeout, shortfall), _time);
        var start = new RoundStart(Session, round, attempt, GlobalWeights, _terms.ContributorList, _terms.Threshold);
        return [.. _terms.ContributorList.Select(n => new RunEnvelope(_terms.Aggregator, n, start))];
    }

    private RunEnvelope Rejoin(NationCode nation) => new(_terms.Aggregator, nation, new RunRejoin(_terms.Job, nation));

    private ImmutableArray<RunEnvelope> Retry() =>
        Attempt + 1 >= RunTerms.MaxAttempts ? StopRun($"round {Round} was tried {RunTerms.MaxAttempts} times.") : Open(Round, Attempt + 1);

    private ImmutableArray<RunEnvelope> Advance()
    {
        var send = ImmutableArray.CreateBuilder<RunEnvelope>();
        while (true)
        {
            var before = _round!.Status;
            var status = _round.Advance();
            if (status.Waiting)
            {
                if (_time.GetUtcNow() - _lastProgress >= _terms.WaitBound)
                {
                    send.AddRange(StopRun($"round {Round} waited {_terms.WaitBound.TotalMinutes:0.#} minutes without a safe sum: {status.Reason}"));
                    return send.ToImmutable();
                }

                if (_readySinceOpen.Count > 0)
                {
                    Record("retried", [], [], $"{string.Join(", ", _readySinceOpen.Select(n => n.Value).Order(StringComparer.Ordinal))} restarted during the round; it restarts with fresh keys.");
                    send.AddRange(Retry());
                    return send.ToImmutable();
                }

                // Invite the nations the round waits for again (at once, then every stage timeout): one that
                // returns rejoins and reports ready, and the round restarts with fresh keys.
                var missing = _round.Missing.Where(n => n != _terms.Aggregator).ToList();
                if (Phase != RunPhase.Waiting || _time.GetUtcNow() - _lastRejoin >= _terms.StageTimeout)
                {
                    _lastRejoin = _time.GetUtcNow();
                    send.AddRange(missing.Select(Rejoin));
                }

                Phase = RunPhase.Waiting;
                Reason = missing.Count == 0 ? status.Reason : $"{status.Reason} Waiting for {string.Join(", ", missing.Select(n => n.Value))} to return.";
                return send.ToImmutable();
            }

            if (status.Stage == before.Stage)
            {
                return send.ToImmutable();
            }

            Phase = RunPhase.Running;
            switch (status.Stage)
            {
                case RoundStage.SharingKeys:
                    var adverts = new RelayedAdverts(Session, [.. _round.Adverts]);
                    send.AddRange(_round.Adverts.Select(a => new RunEnvelope(_terms.Aggregator, a.Participant, adverts)));
                    break;
                case RoundStage.CollectingMaskedInputs:
                    send.AddRange(_round.Adverts.Select(a =>
                        new RunEnvelope(_terms.Aggregator, a.Participant, new RelayedShares(Session, [.. _round.SharesFor(a.Participant)]))));
                    break;
                case RoundStage.Unmasking:
                    send.AddRange(_round.UnmaskingRequest!.Survivors.Select(n => new RunEnvelope(_terms.Aggregator, n, _round.UnmaskingRequest)));
                    break;
                case RoundStage.Completed:
                    send.AddRange(Complete(_round.Outcome!));
                    return send.ToImmutable();
                case RoundStage.Skipped:
                    Record("skipped", [], [], status.Reason);
                    send.AddRange(_time.GetUtcNow() - _lastProgress >= _terms.WaitBound
                        ? StopRun($"no round completed for {_terms.WaitBound.TotalMinutes:0.#} minutes; round {Round} was skipped: {status.Reason}")
                        : Next());
                    return send.ToImmutable();
                case RoundStage.Stopped:
                    send.AddRange(StopRun($"round {Round}: {status.Reason}"));
                    return send.ToImmutable();
                case RoundStage.Failed:
                    Record("failed", [], [], status.Reason);
                    send.AddRange(Retry());
                    return send.ToImmutable();
                default:
                    break;
            }
        }
    }

    private ImmutableArray<RunEnvelope> Complete(RoundOutcome outcome)
    {
        var average = FederatedAverager.Average(outcome.Sum.AsSpan(), outcome.Contributors.Length, _terms.Rule, _terms.Quantisation, _noisyRounds);
        if (average.Budget is not null)
        {
            _noisyRounds++;
        }

        var next = new double[_terms.ModelLength];
        for (var i = 0; i < next.Length; i++)
        {
            next[i] = GlobalWeights[i] + average.Update[i];
        }

        GlobalWeights = ImmutableArray.Create(next);
        var metrics = outcome.Contributors.Where(_metrics.ContainsKey).Select(n => _metrics[n]).ToList();
        double? loss = null;
        double? accuracy = null;
        if (metrics.Count > 0)
        {
            var rows = (double)metrics.Sum(m => m.ValidationSamples);
            loss = metrics.Sum(m => m.ValidationLoss * m.ValidationSamples) / rows;
            accuracy = metrics.Sum(m => m.ValidationAccuracy * m.ValidationSamples) / rows;
        }

        _history.Add(new RoundRecord(Round, Attempt, "completed", outcome.Contributors, outcome.Dropped, loss, accuracy, average.Budget, null, _time.GetUtcNow())
        {
            Steps = Steps("local-train"),
        });
        _lastProgress = _time.GetUtcNow();
        var settled = _terms.MinLossChange is { } min && loss is { } now && _lastLoss is { } before && Math.Abs(now - before) < min;
        _lastLoss = loss ?? _lastLoss;
        if (Round >= _terms.Rounds || settled)
        {
            Phase = RunPhase.Succeeded;
            Reason = settled ? $"validation loss changed by less than {_terms.MinLossChange} after round {Round}." : $"all {_terms.Rounds} rounds ran.";
            _round = null;
            return EndNotices();
        }

        return Open(Round + 1, 0);
    }

    private ImmutableArray<RunEnvelope> Next() => Round >= _terms.Rounds ? Finish() : Open(Round + 1, 0);

    private ImmutableArray<RunEnvelope> Finish()
    {
        var completed = _history.Any(r => r.Outcome == "completed");
        Phase = completed ? RunPhase.Succeeded : RunPhase.Stopped;
        Reason = completed ? $"all {_terms.Rounds} rounds ran, some skipped." : "every round was skipped: no model.";
        return EndNotices();
    }

    private ImmutableArray<RunEnvelope> StopRun(string reason)
    {
        Record("stopped", [], [], reason);
        Phase = RunPhase.Stopped;
        Reason = reason;
        return EndNotices();
    }

    // Every contributor ends its part when the run ends: it forgets its keys, deletes its round material and waits no more.
    private ImmutableArray<RunEnvelope> EndNotices() =>
        [.. _terms.ContributorList.Select(n => new RunEnvelope(_terms.Aggregator, n,
            new RunEnded(_terms.Job, _terms.Aggregator, Phase == RunPhase.Succeeded ? RunEnded.Succeeded : RunEnded.Stopped)))];

    private void Record(string outcome, ImmutableArray<NationCode> contributors, ImmutableArray<NationCode> dropped, string? reason) =>
        _history.Add(new RoundRecord(Round, Attempt, outcome, contributors, dropped, null, null, null, reason, _time.GetUtcNow()) { Steps = Steps("local-train-discarded") });

    /// <summary>The cost of each local step of this attempt that reached the aggregator with its metrics, in nation order.</summary>
    private ImmutableArray<LineageStep> Steps(string name) =>
        [.. _metrics.Values.OrderBy(m => m.From.Value, StringComparer.Ordinal).Select(m => new LineageStep(name, m.From, Round, m.EnergyKwh, m.EmissionsGco2e))];
}
