using System.Security.Cryptography;
using Federation.Contracts.Ids;
using Federation.Learning.Protocol;

namespace Federation.Learning.Crypto;

/// <summary>
/// Every key and seed of a round, derived with HKDF-SHA256 from an ECDH secret or a random seed, with
/// the job, round and the ordered pair as context so no key serves two purposes, rounds or pairs.
/// </summary>
internal static class KeyDerivation
{
    public static byte[] PairwiseMaskSeed(ECDiffieHellman mine, ECDiffieHellmanPublicKey theirs, RoundKey round, NationCode a, NationCode b)
    {
        var (low, high) = string.CompareOrdinal(a.Value, b.Value) < 0 ? (a, b) : (b, a);
        var secret = mine.DeriveRawSecretAgreement(theirs);
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, MaskGenerator.SeedLength, Salt(round),
                new CanonicalWriter("secagg/pairwise-mask/v1").Text(low.Value).Text(high.Value).ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    public static byte[] ShareEncryptionKey(ECDiffieHellman mine, ECDiffieHellmanPublicKey theirs, RoundKey round, NationCode from, NationCode to)
    {
        var secret = mine.DeriveRawSecretAgreement(theirs);
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, Salt(round),
                new CanonicalWriter("secagg/share-encryption/v1").Text(from.Value).Text(to.Value).ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    public static byte[] SelfMaskKey(ReadOnlySpan<byte> selfMaskSeed, RoundKey round, NationCode owner) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, selfMaskSeed.ToArray(), MaskGenerator.SeedLength, Salt(round),
            new CanonicalWriter("secagg/self-mask/v1").Text(owner.Value).ToArray());

    public static byte[] SelfMaskCommitment(ReadOnlySpan<byte> selfMaskSeed, RoundKey round, NationCode owner) =>
        SHA256.HashData(new CanonicalWriter("secagg/self-mask-commitment/v1")
            .Text(round.Job.ToString()).Int(round.Round).Text(owner.Value).Bytes(selfMaskSeed).ToArray());

    public static byte[] ShareAssociatedData(RoundKey round, NationCode from, NationCode to) =>
        new CanonicalWriter("secagg/share/v1").Text(round.Job.ToString()).Int(round.Round).Text(from.Value).Text(to.Value).ToArray();

    private static byte[] Salt(RoundKey round) =>
        SHA256.HashData(new CanonicalWriter("secagg/round/v1").Text(round.Job.ToString()).Int(round.Round).ToArray());
}
