namespace Federation.Transparency;

/// <summary>The hash of a perfect subtree, as derived from the log's leaves.</summary>
/// <param name="Node">The subtree.</param>
/// <param name="Hash">Its Merkle Tree Hash (<see cref="MerkleHash.Size"/> bytes).</param>
public sealed record SubtreeHash(SubtreeId Node, byte[] Hash);
