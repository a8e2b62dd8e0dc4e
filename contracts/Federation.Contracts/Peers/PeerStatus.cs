using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Peers;

/// <summary>This nation's view of one peer nation.</summary>
[GenerateSerializer, Immutable, Alias("fed.PeerStatus")]
public sealed record PeerStatus
{
    /// <summary>The peer.</summary>
    [Id(0)] public required NationCode Nation { get; init; }

    /// <summary>Reachable, unreachable, or unknown.</summary>
    [Id(1)] public PeerHealth Health { get; init; }

    /// <summary>Why it is in that state.</summary>
    [Id(2)] public string HealthReason { get; init; } = "";

    /// <summary>Last advert accepted from the peer.</summary>
    [Id(3)] public CapabilityAdvert? LastAdvert { get; init; }

    /// <summary>When the last advert arrived.</summary>
    [Id(4)] public DateTimeOffset? LastAdvertAt { get; init; }

    /// <summary>Last successful outbound call to the peer.</summary>
    [Id(5)] public DateTimeOffset? LastContact { get; init; }

    /// <summary>Round-trip time of that call, ms.</summary>
    [Id(6)] public double? RoundTripMs { get; init; }

    /// <summary>Outbound calls that failed in a row.</summary>
    [Id(7)] public int ConsecutiveFailures { get; init; }

    /// <summary>Last outbound error.</summary>
    [Id(8)] public string? LastError { get; init; }

    /// <summary>Outbound calls are skipped until then (circuit breaker open).</summary>
    [Id(9)] public DateTimeOffset? CircuitOpenUntil { get; init; }

    /// <summary>Adverts refused from this peer (malformed or lying).</summary>
    [Id(10)] public int RejectedAdverts { get; init; }

    /// <summary>
    /// Claims of the last advert that fall outside the federation's agreed reference (grid intensity, PUE);
    /// the router uses the reference figure instead. Empty when the advert is within bounds.
    /// </summary>
    [Id(11)] public ImmutableArray<string> Flags { get; init; } = [];

    /// <summary>
    /// What this nation concluded from the peer's signed transparency-log heads: <c>unchecked</c>,
    /// <c>consistent</c>, or the first problem found (<c>bad-signature</c>, <c>truncated</c>,
    /// <c>inconsistent</c>), which stays as evidence (docs/transparency.md). Filled by the peers view.
    /// </summary>
    [Id(12)] public string? Transparency { get; init; }

    /// <summary>Why the peer's log is flagged, with the sizes and roots of both heads; null while it is consistent.</summary>
    [Id(13)] public string? TransparencyReason { get; init; }
}
