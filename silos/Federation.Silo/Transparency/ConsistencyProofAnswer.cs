namespace Federation.Silo.Transparency;

/// <summary>A consistency proof: the tree of <see cref="First"/> entries is a prefix of the tree of <see cref="Second"/> (RFC 9162 section 2.1.4).</summary>
/// <param name="First">The older size.</param>
/// <param name="Second">The newer size.</param>
/// <param name="Consistency">The proof's hashes, base64 (empty when the sizes are equal).</param>
public sealed record ConsistencyProofAnswer(long First, long Second, IReadOnlyList<string> Consistency);
