using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Learning.Protocol;

/// <summary>Round 1 (ShareKeys): a participant's encrypted shares, one per other participant that advertised keys.</summary>
[GenerateSerializer, Immutable, Alias("fed.learning.ShareKeysMessage")]
public sealed record ShareKeysMessage(
    [property: Id(0)] RoundKey Round,
    [property: Id(1)] NationCode From,
    [property: Id(2)] ImmutableArray<EncryptedShare> Shares);
