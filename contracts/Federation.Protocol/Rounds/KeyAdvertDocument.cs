namespace Federation.Protocol.Rounds;

/// <summary>A signed key advert on the wire: the nation, its two P-256 public keys (SPKI), its self-mask commitment and the ECDSA signature, base64.</summary>
public sealed record KeyAdvertDocument(string? Nation, string? EncryptionKey, string? MaskKey, string? SelfMaskCommitment, string? Signature);
