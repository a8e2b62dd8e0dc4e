using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Learning.Protocol;

/// <summary>
/// Round 3 (Unmasking), from the aggregator: who sent a masked input (survivors) and who shared keys but
/// did not (dropped). A participant answers with self-mask shares for survivors and mask-key shares for
/// the dropped, never both for the same nation.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.learning.UnmaskingRequest")]
public sealed record UnmaskingRequest(
    [property: Id(0)] RoundKey Round,
    [property: Id(1)] ImmutableArray<NationCode> Survivors,
    [property: Id(2)] ImmutableArray<NationCode> Dropped);
