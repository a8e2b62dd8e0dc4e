namespace Federation.Transparency.Peers;

/// <summary>
/// Where a nation reads a peer's log from (the peer's federation API in a silo). Answers are the
/// peer's claims: the caller checks every signature and proof against the peer's roster pins.
/// </summary>
public interface IPeerLogSource
{
    /// <summary>The peer's latest signed head, or null when it has signed none yet.</summary>
    Task<SignedTreeHead?> LatestHeadAsync(string peer, CancellationToken cancellationToken = default);

    /// <summary>The peer's consistency proof from size <paramref name="first"/> to size <paramref name="second"/>.</summary>
    Task<IReadOnlyList<byte[]>> ConsistencyAsync(string peer, long first, long second, CancellationToken cancellationToken = default);

    /// <summary>The peer's inclusion proof of entry <paramref name="index"/> (in the tree of its latest signed head when <paramref name="size"/> is null).</summary>
    Task<PeerInclusion> InclusionAsync(string peer, long index, long? size, CancellationToken cancellationToken = default);
}
