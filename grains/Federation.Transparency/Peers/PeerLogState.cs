namespace Federation.Transparency.Peers;

/// <summary>This nation's view of one peer's log: the latest head accepted and, once anything went wrong, the first evidence of it.</summary>
/// <param name="Peer">The peer nation.</param>
/// <param name="Status">Consistent, or the first problem found (a flag stays: it is evidence).</param>
/// <param name="Latest">The latest head accepted from the peer (signed by its roster key, consistent with the ones before).</param>
/// <param name="HeadsKept">How many heads were accepted.</param>
/// <param name="CheckedAt">When this nation last accepted a head or found a problem.</param>
/// <param name="Flag">The first evidence of a problem, with both heads; null while the log is consistent.</param>
public sealed record PeerLogState(string Peer, PeerHeadStatus Status, SignedTreeHead? Latest, long HeadsKept, DateTimeOffset? CheckedAt, PeerHeadFlag? Flag);
