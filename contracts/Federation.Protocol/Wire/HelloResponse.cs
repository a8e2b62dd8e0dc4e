using System.Text.Json.Serialization;

namespace Federation.Protocol.Wire;

/// <summary>Answer of <c>GET /federation/v1/hello</c>: who answered, who asked, and what the answering nation speaks.</summary>
/// <param name="Code">The answering nation.</param>
/// <param name="Peer">The calling nation, as its certificate identified it.</param>
/// <param name="ProtocolVersions">Protocol versions the answering nation speaks.</param>
/// <param name="MessageBatches">
/// The limits of the answering nation's <c>POST /federation/v1/jobs/batches</c>; absent (an older nation, or
/// batches turned off) means it takes one job message per request on the message's own route.
/// </param>
public sealed record HelloResponse(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("peer")] string Peer,
    [property: JsonPropertyName("protocolVersions")] IReadOnlyList<string> ProtocolVersions,
    [property: JsonPropertyName("messageBatches")] BatchLimits? MessageBatches = null);
