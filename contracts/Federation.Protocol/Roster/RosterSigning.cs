using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Federation.Protocol.Roster;

/// <summary>
/// Signing and verifying roster versions with a nation's federation key (ECDSA P-256, SHA-256, IEEE
/// P1363 signatures). The signed bytes are the one canonical JSON form defined here: a type tag first,
/// members in a fixed order, no whitespace, nations sorted by code, pins in the order given, times as
/// UTC ISO 8601 with seconds; the signatures themselves are not part of it.
/// </summary>
public static class RosterSigning
{
    /// <summary>The type tag of the canonical form; a new form gets a new tag.</summary>
    public const string Type = "federation.roster.v1";

    private const int MaxKeyCharacters = 256;
    private const int SignatureBytes = 64;

    /// <summary>The canonical bytes of <paramref name="roster"/> (without its signatures).</summary>
    public static byte[] CanonicalBytes(SignedRoster roster)
    {
        ArgumentNullException.ThrowIfNull(roster);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteString("type", Type);
            json.WriteNumber("version", roster.Version);
            json.WriteString("previous", roster.Previous);
            if (roster.Quorum is { } quorum)
            {
                json.WriteNumber("quorum", quorum);
            }
            else
            {
                json.WriteNull("quorum");
            }

            json.WriteStartArray("nations");
            foreach (var entry in roster.Nations.OrderBy(n => n.Code, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("code", entry.Code);
                json.WriteString("name", entry.Name);
                json.WriteString("federationEndpoint", entry.FederationEndpoint);
                Strings(json, "protocolVersions", entry.ProtocolVersions ?? []);
                Strings(json, "pins", entry.Pins ?? []);
                json.WriteStartArray("retiredPins");
                foreach (var retired in entry.RetiredPins ?? [])
                {
                    json.WriteStartObject();
                    json.WriteString("pin", retired.Pin);
                    json.WriteString("notAfter", retired.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteString("gridZone", entry.GridZone);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The version's digest (base64 SHA-256 of its canonical bytes): what the next version names as <c>previous</c>.</summary>
    public static string Digest(SignedRoster roster) => Convert.ToBase64String(SHA256.HashData(CanonicalBytes(roster)));

    /// <summary>Signs <paramref name="roster"/> as <paramref name="nation"/> with the private key of <paramref name="certificate"/>.</summary>
    /// <exception cref="CryptographicException">The certificate has no ECDSA private key.</exception>
    public static RosterSignature Sign(SignedRoster roster, string nation, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new CryptographicException($"{certificate.Subject} has no ECDSA private key to sign a roster version with.");
        var signature = key.SignData(CanonicalBytes(roster), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new RosterSignature(nation, SpkiPin.Compute(certificate), Convert.ToBase64String(certificate.PublicKey.ExportSubjectPublicKeyInfo()), Convert.ToBase64String(signature));
    }

    /// <summary>
    /// Null when <paramref name="signature"/> is a valid P-256 signature over <paramref name="canonical"/>
    /// by the key whose pin it names; otherwise why not. Whether that pin is the nation's is the caller's rule.
    /// </summary>
    public static string? Verify(RosterSignature signature, ReadOnlySpan<byte> canonical)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.SignerKey is not { Length: > 0 and <= MaxKeyCharacters } || signature.Signature is not { Length: > 0 and <= 2 * SignatureBytes })
        {
            return $"the signature of {signature.Nation} carries no well-formed signer key and signature";
        }

        byte[] spki;
        byte[] bytes;
        try
        {
            spki = Convert.FromBase64String(signature.SignerKey);
            bytes = Convert.FromBase64String(signature.Signature);
        }
        catch (FormatException)
        {
            return $"the signer key or signature of {signature.Nation} is not base64";
        }

        if (!string.Equals(Convert.ToBase64String(SHA256.HashData(spki)), signature.Pin, StringComparison.Ordinal))
        {
            return $"the signer key of {signature.Nation} does not have the pin {signature.Pin} it names";
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length || key.KeySize != 256 || bytes.Length != SignatureBytes)
            {
                return $"the signature of {signature.Nation} is not made with a P-256 key";
            }

            return key.VerifyData(canonical, bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                ? null
                : $"the signature of {signature.Nation} does not match this version (made for other content)";
        }
        catch (CryptographicException)
        {
            return $"the signer key of {signature.Nation} is not an ECDSA public key";
        }
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
