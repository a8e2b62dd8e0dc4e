using Federation.Contracts.Peers;
using Orleans.Concurrency;

namespace Federation.Contracts.Grains;

/// <summary>
/// The link with one peer nation (key: <c>peer-&lt;CODE&gt;</c>): health, last advert, circuit
/// breaker. State only; network I/O happens in plain services outside grains.
/// </summary>
[Alias("fed.IPeerGrain"), GrainInterfaceType("fed.IPeerGrain")]
public interface IPeerGrain : IGrainWithStringKey
{
    /// <summary>The grain key of a peer.</summary>
    static string KeyOf(Ids.NationCode nation) => "peer-" + nation.Value;

    /// <summary>The peer's status, health evaluated now. Side-effect free.</summary>
    [Alias("GetAsync"), ReadOnly]
    Task<PeerStatus> GetAsync();

    /// <summary>Accepts an advert (already within the clock-skew window) unless the last accepted one supersedes it: a later sender epoch, or a higher sequence in the same epoch, replaced less than one interval ago.</summary>
    [Alias("RecordAdvertAsync")]
    Task<PeerStatus> RecordAdvertAsync(CapabilityAdvert advert);

    /// <summary>Counts an advert refused as malformed or lying.</summary>
    [Alias("RecordRejectedAdvertAsync")]
    Task RecordRejectedAdvertAsync(string reason);

    /// <summary>Records the outcome of an outbound call; opens the breaker after repeated failures.</summary>
    [Alias("RecordOutboundAsync")]
    Task<PeerStatus> RecordOutboundAsync(bool succeeded, double roundTripMs, string? error);
}
