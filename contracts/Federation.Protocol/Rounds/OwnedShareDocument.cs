namespace Federation.Protocol.Rounds;

/// <summary>A released Shamir share on the wire: whose secret, the share's x (1 to 64) and its 66-byte value, base64.</summary>
public sealed record OwnedShareDocument(string? Owner, int X, string? Value);
