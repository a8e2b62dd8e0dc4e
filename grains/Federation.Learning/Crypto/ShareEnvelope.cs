using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Security.Cryptography;
using Federation.Contracts.Ids;
using Federation.Learning.Protocol;

namespace Federation.Learning.Crypto;

/// <summary>
/// Seals and opens the pair of shares (self-mask seed, mask key) one participant gives another:
/// AES-256-GCM under an ECDH-derived key, with the job, round, sender and recipient as associated data.
/// </summary>
internal static class ShareEnvelope
{
    private const int PlaintextLength = 4 + (2 * ShamirSecretSharing.ShareValueLength);

    public static EncryptedShare Seal(
        RoundKey round, NationCode from, NationCode to, ECDiffieHellman fromEncryption, ECDiffieHellmanPublicKey toEncryption,
        SecretShare selfMaskShare, SecretShare maskKeyShare)
    {
        var plaintext = new byte[PlaintextLength];
        BinaryPrimitives.WriteInt32BigEndian(plaintext, selfMaskShare.X);
        selfMaskShare.Value.CopyTo(plaintext.AsSpan(4));
        maskKeyShare.Value.CopyTo(plaintext.AsSpan(4 + ShamirSecretSharing.ShareValueLength));
        var key = KeyDerivation.ShareEncryptionKey(fromEncryption, toEncryption, round, from, to);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var ciphertext = new byte[PlaintextLength];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(key, tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, KeyDerivation.ShareAssociatedData(round, from, to));
        }

        CryptographicOperations.ZeroMemory(plaintext);
        CryptographicOperations.ZeroMemory(key);
        return new EncryptedShare(from, to, ImmutableArray.Create(nonce), ImmutableArray.Create(ciphertext), ImmutableArray.Create(tag));
    }

    public static (SecretShare SelfMask, SecretShare MaskKey) Open(
        RoundKey round, EncryptedShare sealedShare, ECDiffieHellman toEncryption, ECDiffieHellmanPublicKey fromEncryption)
    {
        if (sealedShare.Ciphertext.IsDefault || sealedShare.Ciphertext.Length != PlaintextLength
            || sealedShare.Nonce.IsDefault || sealedShare.Nonce.Length != AesGcm.NonceByteSizes.MaxSize
            || sealedShare.Tag.IsDefault || sealedShare.Tag.Length != AesGcm.TagByteSizes.MaxSize)
        {
            throw new RoundMessageRefusedException(RefusalReason.Malformed,
                $"Encrypted share from {sealedShare.From}: Nonce, Ciphertext or Tag has the wrong length.");
        }

        var key = KeyDerivation.ShareEncryptionKey(toEncryption, fromEncryption, round, sealedShare.From, sealedShare.To);
        var plaintext = new byte[PlaintextLength];
        try
        {
            using var aes = new AesGcm(key, AesGcm.TagByteSizes.MaxSize);
            aes.Decrypt(sealedShare.Nonce.AsSpan(), sealedShare.Ciphertext.AsSpan(), sealedShare.Tag.AsSpan(), plaintext,
                KeyDerivation.ShareAssociatedData(round, sealedShare.From, sealedShare.To));
            var x = BinaryPrimitives.ReadInt32BigEndian(plaintext);
            if (x < 1)
            {
                throw new RoundMessageRefusedException(RefusalReason.Malformed, $"Encrypted share from {sealedShare.From}: share point {x} is not positive.");
            }

            return (new SecretShare(x, plaintext.AsSpan(4, ShamirSecretSharing.ShareValueLength).ToArray()),
                new SecretShare(x, plaintext.AsSpan(4 + ShamirSecretSharing.ShareValueLength).ToArray()));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new RoundMessageRefusedException(RefusalReason.BadSignature,
                $"Encrypted share from {sealedShare.From} to {sealedShare.To} does not authenticate: altered, or for another round or pair.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
