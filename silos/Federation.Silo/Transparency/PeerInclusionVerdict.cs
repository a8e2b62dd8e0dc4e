namespace Federation.Silo.Transparency;

/// <summary>
/// A peer's inclusion proof for one of its entries, fetched and checked by this nation against the
/// peer's roster pins: the signed head, the entry's bytes and the audit path from its leaf to the root.
/// </summary>
/// <param name="Nation">The peer whose log it is.</param>
/// <param name="Index">The entry's position in the peer's log.</param>
/// <param name="Verified">True when the proof holds against a head signed by the peer's roster key.</param>
/// <param name="Problem">Why it does not, when it does not.</param>
/// <param name="Pins">The roster pins of the peer the head was checked against: its active pins, and its retired pins still valid at the head's time.</param>
/// <param name="Proof">The proof as the peer served it (its entry, audit path and signed head).</param>
public sealed record PeerInclusionVerdict(string Nation, long Index, bool Verified, string? Problem, IReadOnlyList<string> Pins, InclusionProofAnswer Proof);
