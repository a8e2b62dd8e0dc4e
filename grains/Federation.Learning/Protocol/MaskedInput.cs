using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Learning.Protocol;

/// <summary>Round 2 (MaskedInputCollection): the quantised update plus the self mask and the pairwise masks, mod 2^32.</summary>
[GenerateSerializer, Immutable, Alias("fed.learning.MaskedInput")]
public sealed record MaskedInput(
    [property: Id(0)] RoundKey Round,
    [property: Id(1)] NationCode From,
    [property: Id(2)] ImmutableArray<uint> Values);
