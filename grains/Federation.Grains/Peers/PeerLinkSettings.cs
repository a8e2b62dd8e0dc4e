namespace Federation.Grains.Peers;

/// <summary>Timing of the links with peer nations, registered by the host.</summary>
/// <param name="AdvertInterval">How often adverts are pushed; a peer silent for three intervals is unreachable.</param>
public sealed record PeerLinkSettings(TimeSpan AdvertInterval)
{
    /// <summary>Intervals a peer may miss before it is unreachable.</summary>
    public const int MissedIntervalsLimit = 3;

    /// <summary>Silence after which a peer is unreachable.</summary>
    public TimeSpan UnreachableAfter => AdvertInterval * MissedIntervalsLimit;
}
