using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Learning.Protocol;

/// <summary>
/// Round 0 (AdvertiseKeys): a participant's two ephemeral ECDH P-256 public keys for one round — one for
/// the encrypted share channel, one for pairwise mask seeds — and a commitment to its self-mask seed,
/// signed with its long-term federation key (ECDSA P-256) over the job, round and participant.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.learning.KeyAdvert")]
public sealed record KeyAdvert(
    [property: Id(0)] RoundKey Round,
    [property: Id(1)] NationCode Participant,
    [property: Id(2)] ImmutableArray<byte> EncryptionKey,
    [property: Id(3)] ImmutableArray<byte> MaskKey,
    [property: Id(4)] ImmutableArray<byte> SelfMaskCommitment,
    [property: Id(5)] ImmutableArray<byte> Signature);
