namespace Federation.Silo.Transparency;

/// <summary>An inclusion proof: entry <see cref="Index"/> is in the tree of <see cref="TreeSize"/> entries (RFC 9162 section 2.1.3).</summary>
/// <param name="Index">The entry's position.</param>
/// <param name="TreeSize">The size of the tree the proof is for.</param>
/// <param name="Entry">The entry, with its bytes and leaf hash.</param>
/// <param name="AuditPath">Sibling hashes from the leaf up, base64.</param>
/// <param name="Head">The signed head of that size, when the nation signed one (check the proof against its root).</param>
public sealed record InclusionProofAnswer(long Index, long TreeSize, AuditEntry Entry, IReadOnlyList<string> AuditPath, AuditHead? Head);
