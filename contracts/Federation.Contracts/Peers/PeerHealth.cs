namespace Federation.Contracts.Peers;

/// <summary>Whether a peer nation is heard from.</summary>
public enum PeerHealth
{
    /// <summary>Never heard from yet.</summary>
    Unknown = 0,

    /// <summary>Adverts arrive within three intervals.</summary>
    Reachable = 1,

    /// <summary>Missed three advert intervals.</summary>
    Unreachable = 2,
}
