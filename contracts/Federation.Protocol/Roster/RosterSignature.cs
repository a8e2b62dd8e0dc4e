using System.Text.Json.Serialization;

namespace Federation.Protocol.Roster;

/// <summary>One member nation's approval of a roster version (see <see cref="RosterSigning"/>).</summary>
/// <param name="Nation">The approving nation's code.</param>
/// <param name="Pin">The SPKI SHA-256 pin of the signing key (must be the nation's on the roster in force).</param>
/// <param name="SignerKey">The signing key's SubjectPublicKeyInfo, base64 (its SHA-256 is <paramref name="Pin"/>).</param>
/// <param name="Signature">ECDSA P-256 SHA-256 signature over the version's canonical bytes, IEEE P1363 (64 bytes), base64.</param>
public sealed record RosterSignature(
    [property: JsonPropertyName("nation")] string Nation,
    [property: JsonPropertyName("pin")] string Pin,
    [property: JsonPropertyName("signerKey")] string SignerKey,
    [property: JsonPropertyName("signature")] string Signature);
