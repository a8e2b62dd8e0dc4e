using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Learning.Protocol;

/// <summary>Round 3 (Unmasking), from a survivor: its shares of the survivors' self-mask seeds and of the dropped nations' mask keys.</summary>
[GenerateSerializer, Immutable, Alias("fed.learning.UnmaskingResponse")]
public sealed record UnmaskingResponse(
    [property: Id(0)] RoundKey Round,
    [property: Id(1)] NationCode From,
    [property: Id(2)] ImmutableArray<OwnedShare> SelfMaskShares,
    [property: Id(3)] ImmutableArray<OwnedShare> MaskKeyShares);
