using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Federation.Protocol;

/// <summary>
/// A certificate pin: the base64 SHA-256 of the certificate's SubjectPublicKeyInfo. It names a key,
/// not a certificate, so a nation can renew its certificate on the same key without a roster change.
/// </summary>
public static class SpkiPin
{
    /// <summary>Length of a pin's digest in bytes.</summary>
    public const int DigestBytes = 32;

    /// <summary>The pin of <paramref name="certificate"/>.</summary>
    public static string Compute(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>Whether <paramref name="pin"/> has the form of a pin (base64 of 32 bytes).</summary>
    public static bool IsWellFormed(string? pin)
    {
        if (string.IsNullOrEmpty(pin) || pin.Length != 44)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[DigestBytes];
        return Convert.TryFromBase64String(pin, buffer, out var written) && written == DigestBytes;
    }
}
