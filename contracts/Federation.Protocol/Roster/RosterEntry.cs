using System.Text.Json.Serialization;

namespace Federation.Protocol.Roster;

/// <summary>One nation of the federation, as the roster names it.</summary>
/// <param name="Code">ISO 3166-1 alpha-2 code, such as <c>FR</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="FederationEndpoint">Base URL of the nation's federation API (https).</param>
/// <param name="ProtocolVersions">Federation protocol versions the nation speaks.</param>
/// <param name="Pins">SPKI SHA-256 pins (base64) of the nation's certificates; several during a key rotation.</param>
public sealed record RosterEntry(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("federationEndpoint")] string FederationEndpoint,
    [property: JsonPropertyName("protocolVersions")] IReadOnlyList<string> ProtocolVersions,
    [property: JsonPropertyName("pins")] IReadOnlyList<string> Pins)
{
    /// <summary>
    /// The grid zone the federation agrees this nation draws power from (a code of the reference
    /// table, such as <c>FR</c>): the intensity its adverts are checked against. Optional; when
    /// absent, the zone the nation's advert names is used.
    /// </summary>
    [JsonPropertyName("gridZone")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? GridZone { get; init; }

    /// <summary>
    /// Pins the nation used before a key rotation or revocation, each valid until its
    /// <see cref="RetiredPin.NotAfter"/>. Optional; kept so that signatures made before still verify.
    /// </summary>
    [JsonPropertyName("retiredPins")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RetiredPin>? RetiredPins { get; init; }

    /// <summary>Whether <paramref name="pin"/> is one of this nation's active pins.</summary>
    public bool HasPin(string pin) => Pins.Contains(pin, StringComparer.Ordinal);

    /// <summary>
    /// Whether <paramref name="pin"/> is valid at <paramref name="time"/>: an active pin, or a retired
    /// one before its end. The rule for new requests (time: now) and for signatures (time: when signed).
    /// </summary>
    public bool AcceptsPinAt(string pin, DateTimeOffset time) =>
        HasPin(pin) || (RetiredPins ?? []).Any(r => string.Equals(r.Pin, pin, StringComparison.Ordinal) && time < r.NotAfter);

    /// <summary>The federation endpoint as a base address (ending in '/').</summary>
    [JsonIgnore]
    public Uri BaseAddress => new(FederationEndpoint.EndsWith('/') ? FederationEndpoint : FederationEndpoint + "/", UriKind.Absolute);
}
