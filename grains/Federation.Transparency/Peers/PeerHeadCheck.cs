namespace Federation.Transparency.Peers;

/// <summary>The outcome of fetching and checking one peer head.</summary>
/// <param name="Peer">The peer.</param>
/// <param name="Status">Consistent (the head was kept or repeats the kept one), unchecked (the peer signed none yet), or the problem found now.</param>
/// <param name="Reason">Why, for anything but a consistent head.</param>
/// <param name="Fresh">The head the peer served, if any.</param>
/// <param name="Kept">The head kept before, if any.</param>
public sealed record PeerHeadCheck(string Peer, PeerHeadStatus Status, string? Reason, SignedTreeHead? Fresh, SignedTreeHead? Kept);
