namespace Federation.Protocol.Rounds;

/// <summary>
/// A federated round message as it crosses a border (JSON, camelCase), version <c>v</c> 1. <c>kind</c>
/// says which members it carries; every other payload member must be absent. Byte strings are base64.
/// Kinds: <c>roundStart</c>, <c>keyAdvert</c>, <c>relayedAdverts</c>, <c>shareKeys</c>,
/// <c>relayedShares</c>, <c>maskedInput</c>, <c>metrics</c>, <c>unmaskingRequest</c>,
/// <c>unmaskingResponse</c>, <c>ready</c>, <c>invitation</c>, <c>runEnded</c>.
/// </summary>
public sealed record RoundMessageDocument
{
    /// <summary>The wire version; 1.</summary>
    public int V { get; init; }

    /// <summary>Which round message this is.</summary>
    public string? Kind { get; init; }

    /// <summary>The federated job, <c>ORIGIN/id</c>.</summary>
    public string? Job { get; init; }

    /// <summary>The round, from 1.</summary>
    public int Round { get; init; }

    /// <summary>The attempt of the round, from 0; each attempt has fresh keys.</summary>
    public int Attempt { get; init; }

    /// <summary>The sending nation; must be the authenticated peer.</summary>
    public string? From { get; init; }

    /// <summary>roundStart: the global weights.</summary>
    public IReadOnlyList<double>? GlobalWeights { get; init; }

    /// <summary>roundStart: the contributing nations.</summary>
    public IReadOnlyList<string?>? Contributors { get; init; }

    /// <summary>roundStart: the Shamir threshold.</summary>
    public int? Threshold { get; init; }

    /// <summary>keyAdvert (exactly one, the sender's) and relayedAdverts.</summary>
    public IReadOnlyList<KeyAdvertDocument?>? Adverts { get; init; }

    /// <summary>shareKeys and relayedShares: sealed shares.</summary>
    public IReadOnlyList<SealedShareDocument?>? Shares { get; init; }

    /// <summary>maskedInput: the masked vector, each entry 0 to 2^32 − 1.</summary>
    public IReadOnlyList<long>? Values { get; init; }

    /// <summary>metrics: the local model's validation metrics.</summary>
    public RoundMetricsDocument? Metrics { get; init; }

    /// <summary>unmaskingRequest: nations that sent a masked input.</summary>
    public IReadOnlyList<string?>? Survivors { get; init; }

    /// <summary>unmaskingRequest: nations that shared keys but sent no masked input.</summary>
    public IReadOnlyList<string?>? Dropped { get; init; }

    /// <summary>unmaskingResponse: shares of the survivors' self-mask seeds.</summary>
    public IReadOnlyList<OwnedShareDocument?>? SelfMaskShares { get; init; }

    /// <summary>unmaskingResponse: shares of the dropped nations' mask keys.</summary>
    public IReadOnlyList<OwnedShareDocument?>? MaskKeyShares { get; init; }

    /// <summary>invitation: the job's inputs at home in the receiving nation (<c>NATION/dataset</c>).</summary>
    public IReadOnlyList<string?>? Datasets { get; init; }

    /// <summary>invitation: the job's federated terms (the <c>federated</c> part of its spec).</summary>
    public Federation.Contracts.Jobs.FederatedSpec? Terms { get; init; }

    /// <summary>invitation: the job's declared purpose, which each contributor checks against its own datasets' data-use conditions.</summary>
    public Federation.Contracts.Jobs.JobPurpose? Purpose { get; init; }

    /// <summary>invitation: the job's owner (user and consortium; the owner's nation is the job's origin, in <see cref="Job"/>).</summary>
    public Federation.Contracts.Jobs.JobOwner? Owner { get; init; }

    /// <summary>runEnded: how the run ended, <c>succeeded</c> or <c>stopped</c>.</summary>
    public string? Outcome { get; init; }
}
