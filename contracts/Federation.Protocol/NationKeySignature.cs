using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Federation.Protocol;

/// <summary>
/// The signing primitive of the statements nations sign with their federation key (model evaluations,
/// usage reports): ECDSA P-256 over SHA-256 of a statement's canonical bytes, IEEE P1363 signatures,
/// the signer's SubjectPublicKeyInfo and the signature carried in base64, the key checked against the
/// signer's roster pins. Each statement type owns its canonical form and its messages' wording.
/// </summary>
public static class NationKeySignature
{
    private const int MaxKeyCharacters = 256;
    private const int SignatureBytes = 64;

    /// <summary>The base64 SPKI of <paramref name="certificate"/> and its base64 signature of <paramref name="canonical"/>.</summary>
    /// <exception cref="CryptographicException">The certificate has no ECDSA private key.</exception>
    public static (string SignerKey, string Signature) Sign(byte[] canonical, X509Certificate2 certificate, string what)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new CryptographicException($"{certificate.Subject} has no ECDSA private key to sign {what} with.");
        var signature = key.SignData(canonical, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return (Convert.ToBase64String(certificate.PublicKey.ExportSubjectPublicKeyInfo()), Convert.ToBase64String(signature));
    }

    /// <summary>
    /// Null when <paramref name="signature"/> by <paramref name="signerKey"/> over <paramref name="canonical"/> is valid and the
    /// key's SPKI pin is one of <paramref name="pins"/>; otherwise why not, each reason starting with <paramref name="name"/>:
    /// <paramref name="notPinned"/> completes "signed by a key that is …" for a key with no matching pin, and
    /// <paramref name="signer"/> names who signed in "altered after … signed it".
    /// </summary>
    public static string? Verify(string name, byte[] canonical, string? signerKey, string? signature, IReadOnlyCollection<string> pins, string notPinned, string signer)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        ArgumentNullException.ThrowIfNull(pins);
        if (signerKey is not { Length: > 0 and <= MaxKeyCharacters } || signature is not { Length: > 0 and <= 2 * SignatureBytes })
        {
            return $"{name}: no well-formed signer key and signature";
        }

        byte[] spki;
        byte[] bytes;
        try
        {
            spki = Convert.FromBase64String(signerKey);
            bytes = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return $"{name}: the signer key or signature is not base64";
        }

        var pin = Convert.ToBase64String(SHA256.HashData(spki));
        if (!pins.Contains(pin, StringComparer.Ordinal))
        {
            return $"{name}: signed by a key that is {notPinned} (pin {pin})";
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length || key.KeySize != 256 || bytes.Length != SignatureBytes)
            {
                return $"{name}: not signed with a P-256 key";
            }

            return key.VerifyData(canonical, bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                ? null
                : $"{name}: the signature does not match the statement (altered after {signer} signed it)";
        }
        catch (CryptographicException)
        {
            return $"{name}: the signer key is not an ECDSA public key";
        }
    }
}
