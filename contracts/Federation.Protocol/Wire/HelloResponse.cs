using System.Text.Json.Serialization;

namespace Federation.Protocol.Wire;

/// <summary>Answer of <c>GET /federation/v1/hello</c>: who answered, who asked.</summary>
/// <param name="Code">The answering nation.</param>
/// <param name="Peer">The calling nation, as its certificate identified it.</param>
/// <param name="ProtocolVersions">Protocol versions the answering nation speaks.</param>
public sealed record HelloResponse(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("peer")] string Peer,
    [property: JsonPropertyName("protocolVersions")] IReadOnlyList<string> ProtocolVersions);
