using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Federation.Transparency;

/// <summary>
/// Signing and verifying tree heads with a nation's federation key (ECDSA P-256, SHA-256, IEEE P1363
/// signatures, as the dataset terms are signed). The signed bytes are binary, never re-serialised JSON:
/// the ASCII tag <c>federation.tree-head.v1</c> and a zero byte, one byte of nation-code length and the
/// code in ASCII, the size and the time (Unix milliseconds) as big-endian uint64, then the 32-byte root.
/// </summary>
public static class TreeHeadSignature
{
    /// <summary>The type tag of the signed form.</summary>
    public const string Type = "federation.tree-head.v1";

    private const int MaxKeyCharacters = 256;
    private const int SignatureBytes = 64;

    /// <summary>The bytes a nation signs for <paramref name="head"/>.</summary>
    /// <exception cref="ArgumentException">The head is malformed (nation, size, root or time); the message names the field.</exception>
    public static byte[] CanonicalBytes(TreeHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        if (string.IsNullOrEmpty(head.Nation) || head.Nation.Length > 64 || !Ascii.IsValid(head.Nation) || head.Nation.Any(char.IsControl))
        {
            throw new ArgumentException("head.Nation: a printable ASCII nation code of 1 to 64 characters.", nameof(head));
        }

        if (head.Size < 0)
        {
            throw new ArgumentException($"head.Size: {head.Size} is negative.", nameof(head));
        }

        if (head.Root is not { Length: MerkleHash.Size })
        {
            throw new ArgumentException($"head.Root: must be {MerkleHash.Size} bytes.", nameof(head));
        }

        var time = head.Time.ToUnixTimeMilliseconds();
        if (time < 0)
        {
            throw new ArgumentException("head.Time: before 1970.", nameof(head));
        }

        var tag = Encoding.ASCII.GetBytes(Type);
        var bytes = new byte[tag.Length + 1 + 1 + head.Nation.Length + 8 + 8 + MerkleHash.Size];
        var at = 0;
        tag.CopyTo(bytes, at);
        at += tag.Length + 1;
        bytes[at++] = (byte)head.Nation.Length;
        at += Encoding.ASCII.GetBytes(head.Nation, bytes.AsSpan(at));
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(at), (ulong)head.Size);
        at += 8;
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(at), (ulong)time);
        at += 8;
        head.Root.CopyTo(bytes, at);
        return bytes;
    }

    /// <summary>The roster pin of a key: base64 SHA-256 of its SubjectPublicKeyInfo.</summary>
    public static string Pin(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>Signs <paramref name="head"/> with the private key of <paramref name="certificate"/> (the nation's federation certificate).</summary>
    /// <exception cref="CryptographicException">The certificate has no ECDSA private key.</exception>
    public static SignedTreeHead Sign(TreeHead head, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new CryptographicException($"{certificate.Subject} has no ECDSA private key to sign tree heads with.");
        var normalised = head with { Time = DateTimeOffset.FromUnixTimeMilliseconds(head.Time.ToUnixTimeMilliseconds()) };
        var signature = key.SignData(CanonicalBytes(normalised), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new SignedTreeHead(normalised, Convert.ToBase64String(certificate.PublicKey.ExportSubjectPublicKeyInfo()), Convert.ToBase64String(signature));
    }

    /// <summary>
    /// Null when <paramref name="head"/> carries a valid signature by a key whose SPKI pin is one of
    /// <paramref name="nationPins"/> (the roster's pins of the head's nation); otherwise why not.
    /// </summary>
    public static string? Verify(SignedTreeHead head, IReadOnlyCollection<string> nationPins)
    {
        ArgumentNullException.ThrowIfNull(nationPins);
        return Verify(head, new NationPins(nationPins));
    }

    /// <summary>
    /// Null when <paramref name="head"/> carries a valid signature by a key whose SPKI pin was valid for
    /// the head's nation at the head's time: one of its active pins, or a retired pin whose validity
    /// ended after the head was signed. Otherwise why not (a pin retired before the head's time is refused).
    /// </summary>
    public static string? Verify(SignedTreeHead head, NationPins nationPins)
    {
        ArgumentNullException.ThrowIfNull(nationPins);
        if (head?.Head is null)
        {
            return "the signed tree head is incomplete";
        }

        byte[] canonical;
        try
        {
            canonical = CanonicalBytes(head.Head);
        }
        catch (ArgumentException e)
        {
            return $"the tree head is malformed: {e.Message}";
        }

        var what = $"the tree head of {head.Head.Nation} at size {head.Head.Size}";
        if (head.SignerKey is not { Length: > 0 and <= MaxKeyCharacters } || head.Signature is not { Length: > 0 and <= 2 * SignatureBytes })
        {
            return $"{what} carries no well-formed signer key and signature";
        }

        byte[] spki;
        byte[] signature;
        try
        {
            spki = Convert.FromBase64String(head.SignerKey);
            signature = Convert.FromBase64String(head.Signature);
        }
        catch (FormatException)
        {
            return $"the signer key or signature of {what} is not base64";
        }

        var pin = Convert.ToBase64String(SHA256.HashData(spki));
        if (nationPins.ProblemAt(pin, head.Head.Time, what, head.Head.Nation) is { } refused)
        {
            return refused;
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length || key.KeySize != 256 || signature.Length != SignatureBytes)
            {
                return $"{what} is not signed with a P-256 key";
            }

            return key.VerifyData(canonical, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                ? null
                : $"the signature on {what} does not match it";
        }
        catch (CryptographicException)
        {
            return $"the signer key of {what} is not an ECDSA public key";
        }
    }
}
