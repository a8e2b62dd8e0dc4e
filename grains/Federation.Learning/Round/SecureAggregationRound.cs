using System.Security.Cryptography;
using Federation.Contracts.Ids;
using Federation.Learning.Protocol;

namespace Federation.Learning.Round;

/// <summary>
/// The aggregator's side of one secure-aggregation round as a pure state machine: it checks and records
/// messages, moves through AdvertiseKeys → ShareKeys → MaskedInputCollection → Unmasking when every
/// expected nation has answered or the stage times out, applies the shortfall policy when too few
/// remain, and unmasks the sum. It holds only masked inputs, sealed shares and the shares survivors
/// release; time comes from the given <see cref="TimeProvider"/>.
/// </summary>
public sealed class SecureAggregationRound
{
    private readonly RoundConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly Dictionary<NationCode, KeyAdvert> _adverts = [];
    private readonly Dictionary<NationCode, ShareKeysMessage> _shares = [];
    private readonly Dictionary<NationCode, MaskedInput> _inputs = [];
    private readonly Dictionary<NationCode, UnmaskingResponse> _responses = [];
    private readonly List<object> _accepted = [];
    private DateTimeOffset _deadline;

    /// <summary>Opens the round at the AdvertiseKeys stage.</summary>
    public SecureAggregationRound(RoundConfiguration configuration, TimeProvider time)
    {
        _configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _deadline = _time.GetUtcNow() + configuration.StageTimeout;
        Status = new RoundStatus(RoundStage.AdvertisingKeys, false, null);
    }

    /// <summary>Where the round is.</summary>
    public RoundStatus Status { get; private set; }

    /// <summary>Every message the round accepted, in order: what the aggregator holds.</summary>
    public IReadOnlyList<object> Accepted => _accepted;

    /// <summary>The verified adverts to relay to every advertiser, once advertising has closed.</summary>
    public IReadOnlyList<KeyAdvert> Adverts => Status.Stage > RoundStage.AdvertisingKeys ? [.. _adverts.Values] : [];

    /// <summary>The unmasking request for the survivors, once masked-input collection has closed.</summary>
    public UnmaskingRequest? UnmaskingRequest { get; private set; }

    /// <summary>The sum, once the round has completed.</summary>
    public RoundOutcome? Outcome { get; private set; }

    /// <summary>The nations the current stage still waits for (none once the round has ended).</summary>
    public IReadOnlyList<NationCode> Missing => Status.Stage switch
    {
        RoundStage.AdvertisingKeys => [.. _configuration.Participants.Keys.Where(n => !_adverts.ContainsKey(n))],
        RoundStage.SharingKeys => [.. _adverts.Keys.Where(n => !_shares.ContainsKey(n))],
        RoundStage.CollectingMaskedInputs => [.. _shares.Keys.Where(n => !_inputs.ContainsKey(n))],
        RoundStage.Unmasking => [.. UnmaskingRequest!.Survivors.Where(n => !_responses.ContainsKey(n))],
        _ => [],
    };

    /// <summary>The sealed shares addressed to <paramref name="recipient"/>, once key sharing has closed.</summary>
    public IReadOnlyList<EncryptedShare> SharesFor(NationCode recipient) =>
        Status.Stage > RoundStage.SharingKeys ? [.. _shares.Values.SelectMany(m => m.Shares).Where(s => s.To == recipient)] : [];

    /// <summary>Accepts a signed key advert from <paramref name="sender"/> (the authenticated peer), or refuses it with the reason.</summary>
    public MessageVerdict Receive(NationCode sender, KeyAdvert advert)
    {
        ArgumentNullException.ThrowIfNull(advert);
        return Check(sender, advert.Participant, advert.Round, RoundStage.AdvertisingKeys, _adverts.ContainsKey(sender), () =>
        {
            KeyAdvertSigner.Verify(advert, _configuration.Round, _configuration.Participants[sender]);
            _adverts[sender] = advert;
        }, advert);
    }

    /// <summary>Accepts a participant's sealed shares, one for each other advertiser, or refuses them.</summary>
    public MessageVerdict Receive(NationCode sender, ShareKeysMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Check(sender, message.From, message.Round, RoundStage.SharingKeys, _shares.ContainsKey(sender), () =>
        {
            var expected = _adverts.Keys.Where(n => n != sender).ToHashSet();
            if (!_adverts.ContainsKey(sender) || message.Shares.IsDefault
                || message.Shares.Any(s => s.From != sender) || !expected.SetEquals(message.Shares.Select(s => s.To))
                || message.Shares.Length != expected.Count)
            {
                throw new RoundMessageRefusedException(RefusalReason.Malformed,
                    $"Shares from {sender}: one per other advertiser ({string.Join(", ", expected)}) is required, each From {sender}.");
            }

            _shares[sender] = message;
        }, message);
    }

    /// <summary>Accepts a masked input from a nation that shared keys, or refuses it.</summary>
    public MessageVerdict Receive(NationCode sender, MaskedInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Check(sender, input.From, input.Round, RoundStage.CollectingMaskedInputs, _inputs.ContainsKey(sender), () =>
        {
            if (!_shares.ContainsKey(sender))
            {
                throw new RoundMessageRefusedException(RefusalReason.NotInRound, $"Masked input from {sender}: it did not share keys in {_configuration.Round}.");
            }

            if (input.Values.IsDefault || input.Values.Length != _configuration.VectorLength)
            {
                throw new RoundMessageRefusedException(RefusalReason.Malformed,
                    $"Masked input from {sender}: Values must have {_configuration.VectorLength} entries, not {(input.Values.IsDefault ? 0 : input.Values.Length)}.");
            }

            _inputs[sender] = input;
        }, input);
    }

    /// <summary>Accepts a survivor's unmasking shares, or refuses them.</summary>
    public MessageVerdict Receive(NationCode sender, UnmaskingResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Check(sender, response.From, response.Round, RoundStage.Unmasking, _responses.ContainsKey(sender), () =>
        {
            var request = UnmaskingRequest!;
            if (!request.Survivors.Contains(sender))
            {
                throw new RoundMessageRefusedException(RefusalReason.NotInRound, $"Unmasking shares from {sender}: it is not a survivor of {_configuration.Round}.");
            }

            if (response.SelfMaskShares.IsDefault || response.MaskKeyShares.IsDefault
                || !request.Survivors.ToHashSet().SetEquals(response.SelfMaskShares.Select(s => s.Owner)) || response.SelfMaskShares.Length != request.Survivors.Length
                || !request.Dropped.ToHashSet().SetEquals(response.MaskKeyShares.Select(s => s.Owner)) || response.MaskKeyShares.Length != request.Dropped.Length)
            {
                throw new RoundMessageRefusedException(RefusalReason.Malformed,
                    $"Unmasking shares from {sender}: SelfMaskShares must cover exactly the survivors and MaskKeyShares exactly the dropped.");
            }

            _responses[sender] = response;
        }, response);
    }

    /// <summary>
    /// Moves the round on when every expected nation has answered, or when the stage's deadline has passed
    /// (then without the missing nations, if enough remain; otherwise by the shortfall policy).
    /// </summary>
    public RoundStatus Advance()
    {
        var timedOut = _time.GetUtcNow() >= _deadline;
        var stage = Status.Stage;
        var (have, expected) = stage switch
        {
            RoundStage.AdvertisingKeys => (_adverts.Keys.ToList(), _configuration.Participants.Count),
            RoundStage.SharingKeys => (_shares.Keys.ToList(), _adverts.Count),
            RoundStage.CollectingMaskedInputs => (_inputs.Keys.ToList(), _shares.Count),
            RoundStage.Unmasking => (_responses.Keys.ToList(), UnmaskingRequest!.Survivors.Length),
            _ => (new List<NationCode>(), 0),
        };
        if (Status.IsFinal || (have.Count < expected && !timedOut))
        {
            return Status;
        }

        if (stage == RoundStage.Unmasking)
        {
            return Finish(have.Count);
        }

        var others = have.Count(n => n != _configuration.Aggregator);
        if (have.Count < _configuration.Threshold || others < RoundConfiguration.MinimumOtherContributors)
        {
            var reason = $"{stage}: {have.Count} nations answered ({others} besides the aggregator {_configuration.Aggregator}); a safe sum needs the threshold {_configuration.Threshold} and {RoundConfiguration.MinimumOtherContributors} besides the aggregator.";
            Status = _configuration.Policy switch
            {
                ShortfallPolicy.Wait => new RoundStatus(stage, true, reason),
                ShortfallPolicy.Skip => new RoundStatus(RoundStage.Skipped, false, reason),
                _ => new RoundStatus(RoundStage.Stopped, false, reason),
            };
            return Status;
        }

        if (stage == RoundStage.CollectingMaskedInputs)
        {
            var order = Comparer<NationCode>.Create((a, b) => string.CompareOrdinal(a.Value, b.Value));
            UnmaskingRequest = new UnmaskingRequest(_configuration.Round,
                [.. _inputs.Keys.Order(order)], [.. _shares.Keys.Where(n => !_inputs.ContainsKey(n)).Order(order)]);
        }

        Status = new RoundStatus(stage + 1, false, null);
        _deadline = _time.GetUtcNow() + _configuration.StageTimeout;
        return Status;
    }

    private RoundStatus Finish(int answered)
    {
        if (answered < _configuration.Threshold)
        {
            Status = new RoundStatus(RoundStage.Failed, false,
                $"Unmasking: only {answered} of the {UnmaskingRequest!.Survivors.Length} survivors answered; rebuilding masks needs the threshold {_configuration.Threshold}.");
            return Status;
        }

        try
        {
            var sum = Unmasker.Unmask(_configuration, _adverts, _inputs, UnmaskingRequest!.Dropped, _responses.Values);
            Outcome = new RoundOutcome(_configuration.Round, sum, UnmaskingRequest.Survivors, UnmaskingRequest.Dropped);
            Status = new RoundStatus(RoundStage.Completed, false, null);
        }
        catch (CryptographicException e)
        {
            Status = new RoundStatus(RoundStage.Failed, false, $"Unmasking: {e.Message}");
        }

        return Status;
    }

    private MessageVerdict Check(NationCode sender, NationCode claimed, RoundKey round, RoundStage stage, bool duplicate, Action accept, object message)
    {
        try
        {
            if (claimed != sender)
            {
                return MessageVerdict.Refuse(RefusalReason.SenderMismatch, $"The message claims to be from {claimed} but {sender} sent it.");
            }

            if (!_configuration.Participants.ContainsKey(sender))
            {
                return MessageVerdict.Refuse(RefusalReason.NotInRound, $"{sender} is not a participant of {_configuration.Round}.");
            }

            if (round.Job != _configuration.Round.Job)
            {
                return MessageVerdict.Refuse(RefusalReason.WrongJob, $"The message from {sender} is for job {round.Job}, not {_configuration.Round.Job}.");
            }

            if (round.Round != _configuration.Round.Round)
            {
                return MessageVerdict.Refuse(RefusalReason.WrongRound, $"The message from {sender} is for round {round.Round}, not {_configuration.Round.Round}: replayed or stale.");
            }

            if (Status.Stage != stage)
            {
                return MessageVerdict.Refuse(RefusalReason.WrongStage, $"The round is at {Status.Stage}; a {message.GetType().Name} from {sender} belongs to {stage}.");
            }

            if (duplicate)
            {
                return MessageVerdict.Refuse(RefusalReason.Duplicate, $"{sender} already sent its {message.GetType().Name} for {_configuration.Round}.");
            }

            accept();
            _accepted.Add(message);
            return MessageVerdict.Accept;
        }
        catch (RoundMessageRefusedException e)
        {
            return MessageVerdict.Refuse(e.Reason, e.Message);
        }
    }
}
