using System.Collections.Immutable;
using System.Security.Cryptography;
using Federation.Contracts.Ids;
using Federation.Learning.Crypto;

namespace Federation.Learning.Protocol;

/// <summary>Signs key adverts with a federation key and verifies them against the job, round and the sender's pinned key.</summary>
public static class KeyAdvertSigner
{
    /// <summary>Makes a signed advert. The federation key signs; it is never used for key agreement.</summary>
    public static KeyAdvert Sign(
        RoundKey round, NationCode participant, ReadOnlySpan<byte> encryptionKey, ReadOnlySpan<byte> maskKey,
        ReadOnlySpan<byte> selfMaskCommitment, ECDsa federationKey)
    {
        ArgumentNullException.ThrowIfNull(federationKey);
        var signature = federationKey.SignData(
            SignedBytes(round, participant, encryptionKey, maskKey, selfMaskCommitment), HashAlgorithmName.SHA256);
        return new KeyAdvert(round, participant, [.. encryptionKey], [.. maskKey], [.. selfMaskCommitment], ImmutableArray.Create(signature));
    }

    /// <summary>
    /// Checks that <paramref name="advert"/> is for <paramref name="expected"/>, carries two P-256 public keys
    /// and a 32-byte commitment, and is signed by <paramref name="federationKey"/> (the sender's key from the
    /// roster); throws <see cref="RoundMessageRefusedException"/> naming what is wrong.
    /// </summary>
    public static void Verify(KeyAdvert advert, RoundKey expected, ECDsa federationKey)
    {
        ArgumentNullException.ThrowIfNull(advert);
        ArgumentNullException.ThrowIfNull(federationKey);
        if (advert.Round.Job != expected.Job)
        {
            throw new RoundMessageRefusedException(RefusalReason.WrongJob,
                $"Key advert from {advert.Participant} is for job {advert.Round.Job}, not {expected.Job}.");
        }

        if (advert.Round.Round != expected.Round)
        {
            throw new RoundMessageRefusedException(RefusalReason.WrongRound,
                $"Key advert from {advert.Participant} is for round {advert.Round.Round}, not {expected.Round}: replayed or stale.");
        }

        if (advert.SelfMaskCommitment.IsDefaultOrEmpty || advert.SelfMaskCommitment.Length != 32)
        {
            throw new RoundMessageRefusedException(RefusalReason.Malformed,
                $"Key advert from {advert.Participant}: SelfMaskCommitment must be 32 bytes.");
        }

        if (advert.Signature.IsDefaultOrEmpty
            || !federationKey.VerifyData(
                SignedBytes(advert.Round, advert.Participant, advert.EncryptionKey.AsSpan(), advert.MaskKey.AsSpan(), advert.SelfMaskCommitment.AsSpan()),
                advert.Signature.AsSpan(), HashAlgorithmName.SHA256))
        {
            throw new RoundMessageRefusedException(RefusalReason.BadSignature,
                $"Key advert from {advert.Participant}: Signature does not verify under {advert.Participant}'s federation key.");
        }

        using var encryption = ImportP256(advert.EncryptionKey, advert.Participant, nameof(KeyAdvert.EncryptionKey));
        using var mask = ImportP256(advert.MaskKey, advert.Participant, nameof(KeyAdvert.MaskKey));
    }

    internal static ECDiffieHellman ImportP256(ImmutableArray<byte> spki, NationCode participant, string field)
    {
        var key = ECDiffieHellman.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(spki.IsDefault ? [] : spki.AsSpan(), out _);
            if (!IsP256(key.ExportParameters(false).Curve))
            {
                throw new RoundMessageRefusedException(RefusalReason.Malformed, $"Key advert from {participant}: {field} is not a P-256 key.");
            }

            return key;
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new RoundMessageRefusedException(RefusalReason.Malformed, $"Key advert from {participant}: {field} is not a SubjectPublicKeyInfo ({e.Message}).");
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static bool IsP256(ECCurve curve) =>
        curve.IsNamed
        && (curve.Oid.Value == "1.2.840.10045.3.1.7" || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256" or "ECDH_P256");

    private static byte[] SignedBytes(
        RoundKey round, NationCode participant, ReadOnlySpan<byte> encryptionKey, ReadOnlySpan<byte> maskKey, ReadOnlySpan<byte> commitment) =>
        new CanonicalWriter("secagg/key-advert/v1")
            .Text(round.Job.ToString()).Int(round.Round).Text(participant.Value)
            .Bytes(encryptionKey).Bytes(maskKey).Bytes(commitment).ToArray();
}
