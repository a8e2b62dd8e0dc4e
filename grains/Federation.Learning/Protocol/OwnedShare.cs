using Federation.Contracts.Ids;
using Federation.Learning.Crypto;

namespace Federation.Learning.Protocol;

/// <summary>A Shamir share of a secret that belongs to <see cref="Owner"/>.</summary>
[GenerateSerializer, Immutable, Alias("fed.learning.OwnedShare")]
public sealed record OwnedShare(
    [property: Id(0)] NationCode Owner,
    [property: Id(1)] SecretShare Share);
