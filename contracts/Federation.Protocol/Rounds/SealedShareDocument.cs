namespace Federation.Protocol.Rounds;

/// <summary>A sealed share on the wire: sender, recipient, AES-GCM nonce, ciphertext and tag, base64.</summary>
public sealed record SealedShareDocument(string? From, string? To, string? Nonce, string? Ciphertext, string? Tag);
