namespace Federation.Grains.Peers;

/// <summary>Timing of the links with peer nations, registered by the host.</summary>
/// <param name="AdvertInterval">How often adverts are pushed; a peer silent for three intervals is unreachable.</param>
public sealed record PeerLinkSettings(TimeSpan AdvertInterval)
{
    /// <summary>Intervals a peer may miss before it is unreachable.</summary>
    public const int MissedIntervalsLimit = 3;

    /// <summary>
    /// How long a last accepted advert blocks ones with lower numbers (an older sender epoch, or a lower
    /// sequence): one interval, so a bad advert can never make a peer look unreachable.
    /// </summary>
    public TimeSpan ResyncAfter => AdvertInterval;

    /// <summary>Silence after which a peer is unreachable.</summary>
    public TimeSpan UnreachableAfter => AdvertInterval * MissedIntervalsLimit;
}
