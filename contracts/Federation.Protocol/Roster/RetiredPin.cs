using System.Text.Json.Serialization;

namespace Federation.Protocol.Roster;

/// <summary>
/// A pin a nation no longer uses for new keys: accepted for mutual TLS until <paramref name="NotAfter"/>
/// (the grace period of a key rotation), refused after it; a signature made before
/// <paramref name="NotAfter"/> by its key still verifies. A revoked key is retired with
/// <paramref name="NotAfter"/> set to the time from which it is no longer trusted.
/// </summary>
/// <param name="Pin">The SPKI SHA-256 pin (base64).</param>
/// <param name="NotAfter">The end of the pin's validity.</param>
public sealed record RetiredPin(
    [property: JsonPropertyName("pin")] string Pin,
    [property: JsonPropertyName("notAfter")] DateTimeOffset NotAfter);
