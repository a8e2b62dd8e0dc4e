using System.Security.Cryptography;
using Federation.Contracts.Ids;
using Federation.Learning.Protocol;

namespace Federation.Learning.Crypto;

/// <summary>The pairwise and self masks, computed the same way by participants and by the aggregator's recovery.</summary>
internal static class Masks
{
    /// <summary>+1 when <paramref name="owner"/> adds its mask with <paramref name="peer"/> (peer sorts after it), −1 when it subtracts.</summary>
    public static int Sign(NationCode owner, NationCode peer) => string.CompareOrdinal(peer.Value, owner.Value) > 0 ? 1 : -1;

    public static int Compare(NationCode a, NationCode b) => string.CompareOrdinal(a.Value, b.Value);

    public static uint[] Pairwise(ECDiffieHellman ownerMaskKey, ECDiffieHellmanPublicKey peerMaskKey, RoundKey round, NationCode owner, NationCode peer, int length)
    {
        var seed = KeyDerivation.PairwiseMaskSeed(ownerMaskKey, peerMaskKey, round, owner, peer);
        try
        {
            return MaskGenerator.Expand(seed, length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    public static uint[] Self(ReadOnlySpan<byte> selfMaskSeed, RoundKey round, NationCode owner, int length)
    {
        var key = KeyDerivation.SelfMaskKey(selfMaskSeed, round, owner);
        try
        {
            return MaskGenerator.Expand(key, length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Adds or subtracts <paramref name="mask"/> into <paramref name="target"/> mod 2^32.</summary>
    public static void Apply(Span<uint> target, ReadOnlySpan<uint> mask, int sign)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = sign > 0 ? unchecked(target[i] + mask[i]) : unchecked(target[i] - mask[i]);
        }
    }

    /// <summary>Rebuilds a P-256 ECDH private key from its scalar and checks it against the advertised public key.</summary>
    public static ECDiffieHellman ImportPrivate(ReadOnlySpan<byte> scalar, ECDiffieHellman advertised, NationCode owner)
    {
        var expected = advertised.ExportParameters(false);
        var key = ECDiffieHellman.Create();
        try
        {
            key.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar.ToArray() });
            var actual = key.ExportParameters(false);
            if (!CryptographicOperations.FixedTimeEquals(actual.Q.X, expected.Q.X) || !CryptographicOperations.FixedTimeEquals(actual.Q.Y, expected.Q.Y))
            {
                throw new CryptographicException($"the mask key rebuilt for {owner} does not match its advertised MaskKey: a share is wrong.");
            }

            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
