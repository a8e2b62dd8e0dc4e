using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Federation.Contracts.Catalogue.Datasets;

namespace Federation.Protocol.Terms;

/// <summary>
/// Signing and verifying a dataset's terms with a nation's federation key (ECDSA P-256, SHA-256,
/// IEEE P1363 signatures). The terms bytes are the one canonical JSON form of the statement defined
/// here: members in a fixed order, no whitespace, enums by name, dates as <c>yyyy-MM-dd</c>, a type
/// tag first so that these bytes can never be mistaken for another terms message.
/// </summary>
public static class DatasetTermsSignature
{
    /// <summary>The type tag of the canonical form; a new form gets a new tag.</summary>
    public const string Type = "federation.dataset-terms.v1";

    // A P-256 SubjectPublicKeyInfo is 91 bytes (124 base64 characters); leave room, refuse anything larger unread.
    private const int MaxKeyCharacters = 256;
    private const int SignatureBytes = 64;

    /// <summary>The canonical bytes of <paramref name="terms"/>, which the home signs and every receiver verifies.</summary>
    public static byte[] CanonicalBytes(DatasetTermsStatement terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, SkipValidation = false }))
        {
            json.WriteStartObject();
            json.WriteString("type", Type);
            json.WriteString("dataset", terms.Dataset.ToString());
            json.WriteNumber("version", terms.Version);
            json.WriteStartObject("residency");
            json.WriteString("kind", terms.Residency.Kind.ToString());
            Strings(json, "nations", terms.Residency.Nations.IsDefault ? [] : terms.Residency.Nations.Select(n => n.Value));
            json.WriteEndObject();
            var use = terms.DataUse;
            json.WriteStartObject("dataUse");
            json.WriteString("permission", use.Permission.ToString());
            json.WriteString("diseaseTerm", use.DiseaseTerm);
            Strings(json, "modifiers", use.Modifiers.IsDefault ? [] : use.Modifiers.Select(m => m.ToString()));
            Strings(json, "nations", use.Nations.IsDefault ? [] : use.Nations.Select(n => n.Value));
            Strings(json, "institutions", use.Institutions.IsDefault ? [] : use.Institutions);
            Strings(json, "users", use.Users.IsDefault ? [] : use.Users);
            Strings(json, "projects", use.Projects.IsDefault ? [] : use.Projects);
            json.WriteString("validUntil", use.ValidUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteString("moratoriumUntil", use.MoratoriumUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteEndObject();

            // Written only when the steward allows more than nothing: terms signed before export policies existed keep their bytes.
            if (terms.Exports != ExportPolicy.None)
            {
                json.WriteString("exports", terms.Exports.ToString());
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Signs <paramref name="terms"/> with the private key of <paramref name="certificate"/> (the home's federation certificate).</summary>
    /// <exception cref="CryptographicException">The certificate has no ECDSA private key.</exception>
    public static SignedDatasetTerms Sign(DatasetTermsStatement terms, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new CryptographicException($"{certificate.Subject} has no ECDSA private key to sign dataset terms with.");
        var signature = key.SignData(CanonicalBytes(terms), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new SignedDatasetTerms(terms, Convert.ToBase64String(certificate.PublicKey.ExportSubjectPublicKeyInfo()), Convert.ToBase64String(signature));
    }

    /// <summary>
    /// Null when <paramref name="terms"/> carries a valid signature by a key whose SPKI pin is one of
    /// <paramref name="homePins"/> (the roster's pins of the dataset's home); otherwise why not.
    /// </summary>
    public static string? Verify(SignedDatasetTerms terms, IReadOnlyCollection<string> homePins)
    {
        ArgumentNullException.ThrowIfNull(homePins);
        if (terms?.Terms?.Residency is null || terms.Terms.DataUse is null || terms.Terms.Dataset.Nation.Value is null)
        {
            return "the signed terms are incomplete";
        }

        var home = terms.Terms.Dataset.Nation;
        if (terms.SignerKey is not { Length: > 0 and <= MaxKeyCharacters } || terms.Signature is not { Length: > 0 and <= 2 * SignatureBytes })
        {
            return $"the terms of {terms.Terms.Dataset} carry no well-formed signer key and signature";
        }

        byte[] spki;
        byte[] signature;
        try
        {
            spki = Convert.FromBase64String(terms.SignerKey);
            signature = Convert.FromBase64String(terms.Signature);
        }
        catch (FormatException)
        {
            return $"the signer key or signature of the terms of {terms.Terms.Dataset} is not base64";
        }

        var pin = Convert.ToBase64String(SHA256.HashData(spki));
        if (!homePins.Contains(pin, StringComparer.Ordinal))
        {
            return $"the terms of {terms.Terms.Dataset} are signed by a key that is not {home}'s on the roster (pin {pin})";
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length || key.KeySize != 256 || signature.Length != SignatureBytes)
            {
                return $"the terms of {terms.Terms.Dataset} are not signed with a P-256 key";
            }

            return key.VerifyData(CanonicalBytes(terms.Terms), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                ? null
                : $"the signature on the terms of {terms.Terms.Dataset} does not match them (altered after {home} signed them)";
        }
        catch (CryptographicException)
        {
            return $"the signer key of the terms of {terms.Terms.Dataset} is not an ECDSA public key";
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
