using System.Collections.Immutable;
using Federation.Learning.Protocol;

namespace Federation.Learning.Run;

/// <summary>From the aggregator to one nation: the sealed shares addressed to it (it cannot open any other).</summary>
[GenerateSerializer, Immutable, Alias("fed.learning.RelayedShares")]
public sealed record RelayedShares(
    [property: Id(0)] RoundKey Session,
    [property: Id(1)] ImmutableArray<EncryptedShare> Shares);
