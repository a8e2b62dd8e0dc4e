using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Learning.Crypto;
using Federation.Learning.Protocol;
using Federation.Protocol.Rounds;

namespace Federation.Learning.Run;

/// <summary>
/// Turns round messages into their wire documents and back. The reader is strict: version 1, a known
/// kind, the job, round (1 to 1000) and attempt (0 to 99), a sender equal to the authenticated peer,
/// only the members of its kind, no null elements, every number and byte string within bounds. A bad
/// document throws <see cref="RoundMessageRefusedException"/> (<see cref="RefusalReason.Malformed"/>,
/// or <see cref="RefusalReason.SenderMismatch"/>) whose message names the field.
/// </summary>
public static class RoundMessageCodec
{
    /// <summary>The most model weights a round may carry.</summary>
    public const int MaxModelLength = 1_000_000;

    /// <summary>The most nations in a round.</summary>
    public const int MaxNations = 64;

    private static readonly string[] Payload =
        ["globalWeights", "contributors", "threshold", "adverts", "shares", "values", "metrics", "survivors", "dropped", "selfMaskShares", "maskKeyShares", "datasets", "terms", "purpose", "owner", "outcome"];

    private static readonly Dictionary<string, string[]> Members = new(StringComparer.Ordinal)
    {
        ["roundStart"] = ["globalWeights", "contributors", "threshold"],
        ["keyAdvert"] = ["adverts"],
        ["relayedAdverts"] = ["adverts"],
        ["shareKeys"] = ["shares"],
        ["relayedShares"] = ["shares"],
        ["maskedInput"] = ["values"],
        ["metrics"] = ["metrics"],
        ["unmaskingRequest"] = ["survivors", "dropped"],
        ["unmaskingResponse"] = ["selfMaskShares", "maskKeyShares"],
        ["ready"] = [],
        ["invitation"] = ["datasets", "terms", "purpose", "owner"],
        ["runEnded"] = ["outcome"],
    };

    /// <summary>The wire document of <paramref name="message"/>, sent by <paramref name="from"/>.</summary>
    public static RoundMessageDocument Write(NationCode from, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        RoundMessageDocument Doc(string kind, RoundKey session)
        {
            var (round, attempt) = RunTerms.OfSession(session);
            return new RoundMessageDocument { V = 1, Kind = kind, Job = session.Job.ToString(), Round = round, Attempt = attempt, From = from.Value };
        }

        return message switch
        {
            RoundStart m => Doc("roundStart", m.Session) with { GlobalWeights = [.. m.GlobalWeights], Contributors = [.. m.Contributors.Select(n => n.Value)], Threshold = m.Threshold },
            KeyAdvert m => Doc("keyAdvert", m.Round) with { Adverts = [Advert(m)] },
            RelayedAdverts m => Doc("relayedAdverts", m.Session) with { Adverts = [.. m.Adverts.Select(Advert)] },
            ShareKeysMessage m => Doc("shareKeys", m.Round) with { Shares = [.. m.Shares.Select(Share)] },
            RelayedShares m => Doc("relayedShares", m.Session) with { Shares = [.. m.Shares.Select(Share)] },
            MaskedInput m => Doc("maskedInput", m.Round) with { Values = [.. m.Values.Select(v => (long)v)] },
            RoundMetrics m => Doc("metrics", m.Session) with
            {
                Metrics = new RoundMetricsDocument(m.ValidationLoss, m.ValidationAccuracy, m.ValidationSamples) { EnergyKwh = m.EnergyKwh, EmissionsGco2e = m.EmissionsGco2e },
            },
            UnmaskingRequest m => Doc("unmaskingRequest", m.Round) with { Survivors = [.. m.Survivors.Select(n => n.Value)], Dropped = [.. m.Dropped.Select(n => n.Value)] },
            UnmaskingResponse m => Doc("unmaskingResponse", m.Round) with { SelfMaskShares = [.. m.SelfMaskShares.Select(Owned)], MaskKeyShares = [.. m.MaskKeyShares.Select(Owned)] },
            ParticipantReady m => Doc("ready", RunTerms.SessionKey(m.Job, 0, 0)),
            RunInvitation m => Doc("invitation", RunTerms.SessionKey(m.Job, 0, 0)) with { Datasets = [.. m.Datasets.Select(d => d.ToString())], Terms = m.Terms, Purpose = m.Purpose, Owner = m.Owner },
            RunEnded m => Doc("runEnded", RunTerms.SessionKey(m.Job, 0, 0)) with { Outcome = m.Outcome },
            _ => throw new ArgumentException($"A {message.GetType().Name} is not a round message.", nameof(message)),
        };
    }

    /// <summary>Reads a document that <paramref name="sender"/> (the authenticated peer) sent; throws naming the field.</summary>
    public static object Read(NationCode sender, RoundMessageDocument? document)
    {
        var d = document ?? throw Bad("the body", "is required");
        if (d.V != 1)
        {
            throw Bad("v", "must be 1");
        }

        if (d.Kind is null || !Members.TryGetValue(d.Kind, out var allowed))
        {
            throw Bad("kind", $"must be one of {string.Join(", ", Members.Keys)}");
        }

        foreach (var member in Payload.Where(m => !allowed.Contains(m) && Present(d, m)))
        {
            throw Bad(member, $"is not allowed in a {d.Kind} message");
        }

        if (!JobRef.TryParse(d.Job, out var job, out var jobError))
        {
            throw Bad("job", jobError);
        }

        var from = Nation(d.From, "from");
        if (from != sender)
        {
            throw new RoundMessageRefusedException(RefusalReason.SenderMismatch, $"from: the message claims {from} but {sender} sent it.");
        }

        if (d.Kind == "ready")
        {
            return d.Round == 0 && d.Attempt == 0 ? new ParticipantReady(job, from) : throw Bad("round", "must be 0 with attempt 0 in a ready message");
        }

        if (d.Kind == "invitation")
        {
            return d.Round == 0 && d.Attempt == 0 ? Invitation(job, from, d) : throw Bad("round", "must be 0 with attempt 0 in an invitation");
        }

        if (d.Kind == "runEnded")
        {
            return d.Round != 0 || d.Attempt != 0 ? throw Bad("round", "must be 0 with attempt 0 in a runEnded message")
                : d.Outcome is RunEnded.Succeeded or RunEnded.Stopped ? new RunEnded(job, from, d.Outcome)
                : throw Bad("outcome", $"must be {RunEnded.Succeeded} or {RunEnded.Stopped}");
        }

        if (d.Round is < 1 or > RunTerms.MaxRounds)
        {
            throw Bad("round", $"must be 1 to {RunTerms.MaxRounds}");
        }

        if (d.Attempt is < 0 or >= RunTerms.MaxAttempts)
        {
            throw Bad("attempt", $"must be 0 to {RunTerms.MaxAttempts - 1}");
        }

        var session = RunTerms.SessionKey(job, d.Round, d.Attempt);
        return d.Kind switch
        {
            "roundStart" => new RoundStart(session, d.Round, d.Attempt, Weights(d.GlobalWeights), Nations(d.Contributors, "contributors", 2),
                d.Threshold is >= 2 and <= MaxNations ? d.Threshold.Value : throw Bad("threshold", $"must be 2 to {MaxNations}")),
            "keyAdvert" => Required(d.Adverts, "adverts", 1, 1) is [var one] && Advert(one, "adverts[0]", session) is var advert && advert.Participant == from
                ? advert : throw Bad("adverts[0].nation", "must be the sender"),
            "relayedAdverts" => new RelayedAdverts(session, [.. Required(d.Adverts, "adverts", 1, MaxNations).Select((a, i) => Advert(a, $"adverts[{i}]", session))]),
            "shareKeys" => new ShareKeysMessage(session, from, Shares(d.Shares)),
            "relayedShares" => new RelayedShares(session, Shares(d.Shares)),
            "maskedInput" => new MaskedInput(session, from, Values(d.Values)),
            "metrics" => Metrics(session, from, d.Metrics),
            "unmaskingRequest" => new UnmaskingRequest(session, Nations(d.Survivors, "survivors", 1), Nations(d.Dropped, "dropped", 0)),
            _ => new UnmaskingResponse(session, from, OwnedShares(d.SelfMaskShares, "selfMaskShares", 1), OwnedShares(d.MaskKeyShares, "maskKeyShares", 0)),
        };
    }

    private static RunInvitation Invitation(JobRef job, NationCode from, RoundMessageDocument d)
    {
        var datasets = new List<DatasetRef>();
        foreach (var (text, i) in Required(d.Datasets, "datasets", 1, MaxNations).Select((t, i) => (t, i)))
        {
            datasets.Add(DatasetRef.TryParse(text, out var dataset, out var error) ? dataset : throw Bad($"datasets[{i}]", error));
        }

        var terms = d.Terms ?? throw Bad("terms", "is required");
        if (terms.Training is null)
        {
            throw Bad("terms.training", "is required");
        }

        if (terms.Rounds is < 1 or > RunTerms.MaxRounds)
        {
            throw Bad("terms.rounds", $"must be 1 to {RunTerms.MaxRounds}");
        }

        if (terms.RoundPolicy is null)
        {
            throw Bad("terms.roundPolicy", "is required");
        }

        var (purpose, owner) = InvitationPurpose.Read(d.Purpose, d.Owner);
        return datasets.Distinct().Count() == datasets.Count
            ? new RunInvitation(job, from, [.. datasets], terms) { Purpose = purpose, Owner = owner }
            : throw Bad("datasets", "must not repeat a dataset");
    }

    private static RoundMessageRefusedException Bad(string field, string rule) => new(RefusalReason.Malformed, $"{field}: {rule}.");

    private static bool Present(RoundMessageDocument d, string member) => member switch
    {
        "globalWeights" => d.GlobalWeights is not null,
        "contributors" => d.Contributors is not null,
        "threshold" => d.Threshold is not null,
        "adverts" => d.Adverts is not null,
        "shares" => d.Shares is not null,
        "values" => d.Values is not null,
        "metrics" => d.Metrics is not null,
        "survivors" => d.Survivors is not null,
        "dropped" => d.Dropped is not null,
        "selfMaskShares" => d.SelfMaskShares is not null,
        "datasets" => d.Datasets is not null,
        "terms" => d.Terms is not null,
        "purpose" => d.Purpose is not null,
        "owner" => d.Owner is not null,
        "outcome" => d.Outcome is not null,
        _ => d.MaskKeyShares is not null,
    };

    private static IReadOnlyList<T> Required<T>(IReadOnlyList<T?>? list, string field, int min, int max)
        where T : class
    {
        if (list is null || list.Count < min || list.Count > max)
        {
            throw Bad(field, $"must hold {min} to {max} entries");
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw Bad($"{field}[{i}]", "must not be null");
            }
        }

        return list!;
    }

    private static NationCode Nation(string? text, string field) =>
        NationCode.TryParse(text, out var nation, out var error) ? nation : throw Bad(field, error);

    private static ImmutableArray<NationCode> Nations(IReadOnlyList<string?>? list, string field, int min)
    {
        var nations = Required(list, field, min, MaxNations).Select((n, i) => Nation(n, $"{field}[{i}]")).ToList();
        return nations.Distinct().Count() == nations.Count ? [.. nations] : throw Bad(field, "must not repeat a nation");
    }

    private static ImmutableArray<double> Weights(IReadOnlyList<double>? weights)
    {
        if (weights is null || weights.Count is < 1 or > MaxModelLength)
        {
            throw Bad("globalWeights", $"must hold 1 to {MaxModelLength} numbers");
        }

        for (var i = 0; i < weights.Count; i++)
        {
            if (!double.IsFinite(weights[i]))
            {
                throw Bad($"globalWeights[{i}]", "must be a finite number");
            }
        }

        return [.. weights];
    }

    private static ImmutableArray<uint> Values(IReadOnlyList<long>? values)
    {
        if (values is null || values.Count is < 2 or > MaxModelLength + 1)
        {
            throw Bad("values", $"must hold 2 to {MaxModelLength + 1} numbers");
        }

        var result = new uint[values.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = values[i] is >= 0 and <= uint.MaxValue ? (uint)values[i] : throw Bad($"values[{i}]", $"must be 0 to {uint.MaxValue}");
        }

        return ImmutableArray.Create(result);
    }

    private static RoundMetrics Metrics(RoundKey session, NationCode from, RoundMetricsDocument? m)
    {
        var metrics = m ?? throw Bad("metrics", "is required");
        return !double.IsFinite(metrics.ValidationLoss) || metrics.ValidationLoss < 0 ? throw Bad("metrics.validationLoss", "must be a finite number, at least 0")
            : !double.IsFinite(metrics.ValidationAccuracy) || metrics.ValidationAccuracy is < 0 or > 1 ? throw Bad("metrics.validationAccuracy", "must be 0 to 1")
            : metrics.ValidationSamples is < 1 or > 1_000_000_000_000 ? throw Bad("metrics.validationSamples", "must be 1 to 10^12")
            : RoundMetrics.CostProblem(metrics.EnergyKwh, metrics.EmissionsGco2e, "metrics.") is { } cost ? throw new RoundMessageRefusedException(RefusalReason.Malformed, cost + ".")
            : new RoundMetrics(session, from, metrics.ValidationLoss, metrics.ValidationAccuracy, metrics.ValidationSamples)
            {
                EnergyKwh = metrics.EnergyKwh,
                EmissionsGco2e = metrics.EmissionsGco2e,
            };
    }

    private static ImmutableArray<byte> Bytes(string? base64, string field, int min, int max)
    {
        var buffer = new byte[max];
        return base64 is not null && base64.Length <= ((max + 2) / 3 * 4) && Convert.TryFromBase64String(base64, buffer, out var written) && written >= min
            ? ImmutableArray.Create(buffer, 0, written)
            : throw Bad(field, $"must be base64 of {min} to {max} bytes");
    }

    private static KeyAdvert Advert(KeyAdvertDocument? a, string field, RoundKey session) => new(
        session, Nation(a!.Nation, $"{field}.nation"), Bytes(a.EncryptionKey, $"{field}.encryptionKey", 1, 256), Bytes(a.MaskKey, $"{field}.maskKey", 1, 256),
        Bytes(a.SelfMaskCommitment, $"{field}.selfMaskCommitment", 32, 32), Bytes(a.Signature, $"{field}.signature", 1, 256));

    private static ImmutableArray<EncryptedShare> Shares(IReadOnlyList<SealedShareDocument?>? shares) =>
        [.. Required(shares, "shares", 1, MaxNations).Select((s, i) => new EncryptedShare(
            Nation(s!.From, $"shares[{i}].from"), Nation(s.To, $"shares[{i}].to"), Bytes(s.Nonce, $"shares[{i}].nonce", 12, 12),
            Bytes(s.Ciphertext, $"shares[{i}].ciphertext", 1, 512), Bytes(s.Tag, $"shares[{i}].tag", 16, 16)))];

    private static ImmutableArray<OwnedShare> OwnedShares(IReadOnlyList<OwnedShareDocument?>? shares, string field, int min) =>
        [.. Required(shares, field, min, MaxNations).Select((s, i) => new OwnedShare(Nation(s!.Owner, $"{field}[{i}].owner"),
            new SecretShare(s.X is >= 1 and <= MaxNations ? s.X : throw Bad($"{field}[{i}].x", $"must be 1 to {MaxNations}"),
                Bytes(s.Value, $"{field}[{i}].value", ShamirSecretSharing.ShareValueLength, ShamirSecretSharing.ShareValueLength))))];

    private static KeyAdvertDocument Advert(KeyAdvert a) => new(a.Participant.Value, B64(a.EncryptionKey), B64(a.MaskKey), B64(a.SelfMaskCommitment), B64(a.Signature));

    private static SealedShareDocument Share(EncryptedShare s) => new(s.From.Value, s.To.Value, B64(s.Nonce), B64(s.Ciphertext), B64(s.Tag));

    private static OwnedShareDocument Owned(OwnedShare s) => new(s.Owner.Value, s.Share.X, B64(s.Share.Value));

    private static string B64(ImmutableArray<byte> bytes) => Convert.ToBase64String(bytes.AsSpan());
}
