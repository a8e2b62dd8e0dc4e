using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Learning.Protocol;

/// <summary>
/// Shares of the sender's mask key and self-mask seed for one recipient, under AES-256-GCM with a key only
/// the two of them can derive; the aggregator relays it and learns nothing from it.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.learning.EncryptedShare")]
public sealed record EncryptedShare(
    [property: Id(0)] NationCode From,
    [property: Id(1)] NationCode To,
    [property: Id(2)] ImmutableArray<byte> Nonce,
    [property: Id(3)] ImmutableArray<byte> Ciphertext,
    [property: Id(4)] ImmutableArray<byte> Tag);
