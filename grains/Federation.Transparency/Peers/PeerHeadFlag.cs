namespace Federation.Transparency.Peers;

/// <summary>Evidence that a peer's log misbehaved: the head kept before and the head that contradicts it.</summary>
/// <param name="Peer">The peer nation.</param>
/// <param name="Status">What was wrong (never <see cref="PeerHeadStatus.Consistent"/> or <see cref="PeerHeadStatus.Unchecked"/>).</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="Kept">The last head accepted from the peer before (null when none was).</param>
/// <param name="Offending">The head that was refused, exactly as the peer served it.</param>
/// <param name="At">When this nation found it.</param>
public sealed record PeerHeadFlag(string Peer, PeerHeadStatus Status, string Reason, SignedTreeHead? Kept, SignedTreeHead Offending, DateTimeOffset At);
