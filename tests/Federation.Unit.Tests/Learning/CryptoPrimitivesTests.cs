using System.Security.Cryptography;
using CsCheck;
using Federation.Contracts.Ids;
using Federation.Learning.Crypto;
using Federation.Learning.Protocol;

namespace Federation.Unit.Tests.Learning;

public sealed class CryptoPrimitivesTests
{
    [Fact]
    public void Shamir_AnyThresholdSharesRebuildTheSecret_FewerDoNot()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.Int[2, 6], Gen.Int[0, 6]).Sample((secret, threshold, extra) =>
        {
            var shares = ShamirSecretSharing.Split(secret, threshold, threshold + extra);
            var chosen = shares.Reverse().Take(threshold).ToList();

            Assert.Equal(secret, ShamirSecretSharing.Combine(chosen, 32));
            Assert.NotEqual(secret, RebuildOrNull(chosen.Take(threshold - 1).ToList()));
        }, iter: 30);
    }

    [Fact]
    public void Shamir_BadArguments_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ShamirSecretSharing.Split(new byte[32], 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShamirSecretSharing.Split(new byte[32], 4, 3));
        Assert.Throws<ArgumentException>(() => ShamirSecretSharing.Split(new byte[65], 2, 3));
        var share = ShamirSecretSharing.Split(new byte[32], 2, 3)[0];
        Assert.Throws<ArgumentException>(() => ShamirSecretSharing.Combine([share, share], 32));
    }

    [Fact]
    public void MaskGenerator_SameSeedSameMask_OtherSeedOtherMask()
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        var other = seed.ToArray();
        other[0] ^= 1;

        Assert.Equal(MaskGenerator.Expand(seed, 37), MaskGenerator.Expand(seed, 37));
        Assert.Equal(MaskGenerator.Expand(seed, 37)[..10], MaskGenerator.Expand(seed, 10));
        Assert.NotEqual(MaskGenerator.Expand(seed, 37), MaskGenerator.Expand(other, 37));
        Assert.Throws<ArgumentException>(() => MaskGenerator.Expand(new byte[16], 4));
    }

    [Fact]
    public void KeyAdvert_VerifiesForItsRoundOnly_AndNamesWhatIsWrong()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ecdh = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var job = TypedId.Parse<JobRef>("FR/train-1");
        var round = new RoundKey(job, 4);
        var fr = TypedId.Parse<NationCode>("FR");
        var spki = ecdh.ExportSubjectPublicKeyInfo();
        var advert = KeyAdvertSigner.Sign(round, fr, spki, spki, new byte[32], key);

        KeyAdvertSigner.Verify(advert, round, key);
        var otherJob = Assert.Throws<RoundMessageRefusedException>(() => KeyAdvertSigner.Verify(advert, new RoundKey(TypedId.Parse<JobRef>("FR/train-2"), 4), key));
        var otherRound = Assert.Throws<RoundMessageRefusedException>(() => KeyAdvertSigner.Verify(advert, new RoundKey(job, 5), key));
        var relabelled = Assert.Throws<RoundMessageRefusedException>(() => KeyAdvertSigner.Verify(advert with { Round = new RoundKey(job, 5) }, new RoundKey(job, 5), key));
        var notAKey = KeyAdvertSigner.Sign(round, fr, new byte[] { 1, 2, 3 }, spki, new byte[32], key);
        var malformed = Assert.Throws<RoundMessageRefusedException>(() => KeyAdvertSigner.Verify(notAKey, round, key));

        Assert.Equal(RefusalReason.WrongJob, otherJob.Reason);
        Assert.Equal(RefusalReason.WrongRound, otherRound.Reason);
        Assert.Equal(RefusalReason.BadSignature, relabelled.Reason);
        Assert.Equal(RefusalReason.Malformed, malformed.Reason);
        Assert.Contains("EncryptionKey", malformed.Message, StringComparison.Ordinal);
    }

    private static byte[]? RebuildOrNull(List<SecretShare> shares)
    {
        try
        {
            return ShamirSecretSharing.Combine(shares, 32);
        }
        catch (CryptographicException)
        {
            return null; // the value rebuilt from too few shares does not even fit in 32 bytes
        }
    }
}
