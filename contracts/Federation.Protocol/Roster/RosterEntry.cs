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

    /// <summary>Whether <paramref name="pin"/> is one of this nation's pins.</summary>
    public bool HasPin(string pin) => Pins.Contains(pin, StringComparer.Ordinal);

    /// <summary>The federation endpoint as a base address (ending in '/').</summary>
    [JsonIgnore]
    public Uri BaseAddress => new(FederationEndpoint.EndsWith('/') ? FederationEndpoint : FederationEndpoint + "/", UriKind.Absolute);
}
