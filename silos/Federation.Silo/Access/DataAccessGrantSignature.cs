using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Federation.Contracts.Access;
using Federation.Contracts.Jobs;

namespace Federation.Silo.Access;

/// <summary>
/// The canonical bytes of an approved data-access grant, which the committee's key signs (ECDSA
/// P-256, SHA-256, IEEE P1363) and every check verifies: a type tag first, then the members that
/// decide access in a fixed order, times as Unix seconds.
/// </summary>
public static class DataAccessGrantSignature
{
    /// <summary>The type tag of the canonical form; a new form gets a new tag.</summary>
    public const string Type = "federation.data-access-grant.v1";

    /// <summary>The canonical bytes of <paramref name="grant"/>.</summary>
    public static byte[] CanonicalBytes(DataAccessGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", Type);
            json.WriteString("id", grant.Id);
            json.WriteString("dataset", grant.Dataset.ToString());
            json.WriteString("user", grant.User);
            json.WriteString("consortium", grant.Consortium);
            json.WriteString("nation", grant.Nation.Value);
            json.WriteString("purpose", Code(grant.Purpose));
            json.WriteString("diseaseTerm", grant.DiseaseTerm);
            json.WriteString("approvedBy", grant.ApprovedBy);
            json.WriteNumber("approvedAt", grant.ApprovedAt?.ToUnixTimeSeconds() ?? 0);
            json.WriteNumber("expiresAt", grant.ExpiresAt?.ToUnixTimeSeconds() ?? 0);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The DUO code of a purpose (GRU, HMB, DS, POA, CC).</summary>
    public static string Code(ResearchCategory purpose) => purpose switch
    {
        ResearchCategory.General => "GRU",
        ResearchCategory.HealthMedicalBiomedical => "HMB",
        ResearchCategory.DiseaseSpecific => "DS",
        ResearchCategory.PopulationOriginsAncestry => "POA",
        ResearchCategory.ClinicalCare => "CC",
        _ => purpose.ToString(),
    };

    /// <summary>Signs <paramref name="grant"/> with <paramref name="key"/>; the result carries the key's public part and the signature.</summary>
    public static DataAccessGrant Sign(DataAccessGrant grant, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var signature = key.SignData(CanonicalBytes(grant), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return grant with { SignerKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), Signature = Convert.ToBase64String(signature) };
    }

    /// <summary>Null when <paramref name="grant"/> carries a valid signature by <paramref name="committee"/>; otherwise why not.</summary>
    public static string? Verify(DataAccessGrant grant, ECDsa committee)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(committee);
        if (grant.SignerKey is null || grant.Signature is null)
        {
            return $"grant {grant.Id} carries no signature of the data access committee";
        }

        if (!string.Equals(grant.SignerKey, Convert.ToBase64String(committee.ExportSubjectPublicKeyInfo()), StringComparison.Ordinal))
        {
            return $"grant {grant.Id} is signed by a key that is not the data access committee's";
        }

        try
        {
            return committee.VerifyData(CanonicalBytes(grant), Convert.FromBase64String(grant.Signature), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                ? null
                : $"the signature on grant {grant.Id} does not match it (altered after the committee signed it)";
        }
        catch (FormatException)
        {
            return $"the signature on grant {grant.Id} is not base64";
        }
    }
}
