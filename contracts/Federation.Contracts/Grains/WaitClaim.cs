using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Grains;

/// <summary>What a run waiting for accelerators tells the capacity ledger: what it can use and its rank (see the fair-share waiting order).</summary>
/// <param name="Models">The agent-managed models it can run on.</param>
/// <param name="Count">How many accelerators it wants.</param>
/// <param name="Band">Its band: lower first (0 within its shares, 1 its consortium over its quota, 2 a student beyond the tier's quota).</param>
/// <param name="Priority">Its priority within the band, higher first (its origin's fair-share factor, plus the local priority).</param>
[GenerateSerializer, Immutable, Alias("fed.WaitClaim")]
public sealed record WaitClaim(
    [property: Id(0)] ImmutableArray<AcceleratorSlug> Models,
    [property: Id(1)] int Count,
    [property: Id(2)] int Band,
    [property: Id(3)] double Priority);
