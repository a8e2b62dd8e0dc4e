using Federation.Transparency;

namespace Federation.Silo.Transparency;

/// <summary>A signed tree head on the wire (hashes, keys and signatures in base64).</summary>
/// <param name="Nation">Whose log.</param>
/// <param name="TreeSize">Entries covered.</param>
/// <param name="RootHash">The Merkle root, base64 of 32 bytes.</param>
/// <param name="Timestamp">When the nation signed it (UTC, milliseconds).</param>
/// <param name="SignerKey">The signer's SubjectPublicKeyInfo, base64; its SHA-256 is the roster pin.</param>
/// <param name="Signature">ECDSA P-256 SHA-256, IEEE P1363, base64, over the bytes of docs/transparency.md.</param>
public sealed record AuditHead(string Nation, long TreeSize, string RootHash, DateTimeOffset Timestamp, string SignerKey, string Signature)
{
    /// <summary>The wire form of <paramref name="head"/>.</summary>
    public static AuditHead From(SignedTreeHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        return new(head.Head.Nation, head.Head.Size, Convert.ToBase64String(head.Head.Root), head.Head.Time, head.SignerKey, head.Signature);
    }

    /// <summary>Back to the library's form (throws <see cref="FormatException"/> on a root that is not base64).</summary>
    public SignedTreeHead ToSigned() => new(new TreeHead(Nation, TreeSize, Convert.FromBase64String(RootHash), Timestamp), SignerKey, Signature);
}
