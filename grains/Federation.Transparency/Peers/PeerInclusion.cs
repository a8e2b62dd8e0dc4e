namespace Federation.Transparency.Peers;

/// <summary>A peer's answer to "is this entry in your log": the row, the audit path and the signed head of that size.</summary>
/// <param name="TreeSize">The size of the tree the path is for.</param>
/// <param name="Entry">The row the peer served (its bytes are what is hashed).</param>
/// <param name="AuditPath">Sibling hashes from the leaf up.</param>
/// <param name="Head">The peer's signed head of <paramref name="TreeSize"/>, or null when it signed none of that size.</param>
public sealed record PeerInclusion(long TreeSize, LoggedEntry Entry, IReadOnlyList<byte[]> AuditPath, SignedTreeHead? Head);
