using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Learning.Protocol;

namespace Federation.Learning.Round;

/// <summary>A completed round: the unmasked integer sum mod 2^32 of the contributors' quantised inputs, who contributed and who dropped.</summary>
[GenerateSerializer, Immutable, Alias("fed.learning.RoundOutcome")]
public sealed record RoundOutcome(
    [property: Id(0)] RoundKey Round,
    [property: Id(1)] ImmutableArray<uint> Sum,
    [property: Id(2)] ImmutableArray<NationCode> Contributors,
    [property: Id(3)] ImmutableArray<NationCode> Dropped);
