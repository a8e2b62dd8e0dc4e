using Federation.Contracts.Ids;

namespace Federation.Grains.Learning;

/// <summary>A round message waiting to be delivered: its id (the <c>Federation-Request-Id</c>), receiver, kind and JSON document.</summary>
[GenerateSerializer, Immutable, Alias("fed.learning.RoundOutboxEntry")]
public sealed record RoundOutboxEntry(
    [property: Id(0)] Guid Id,
    [property: Id(1)] NationCode To,
    [property: Id(2)] string Kind,
    [property: Id(3)] string Document);
