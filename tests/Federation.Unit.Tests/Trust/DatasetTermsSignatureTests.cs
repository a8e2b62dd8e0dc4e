using System.Text;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Protocol;
using Federation.Protocol.Terms;

namespace Federation.Unit.Tests.Trust;

/// <summary>Dataset terms signed with a nation's federation key and verified against its roster pins.</summary>
public sealed class DatasetTermsSignatureTests : IDisposable
{
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _fr = NationCertificates.Create("FR");
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _de = NationCertificates.Create("DE");

    private static DatasetTermsStatement Statement(Residency? residency = null) => new(
        TypedId.Parse<DatasetRef>("FR/health-cohort"),
        4,
        residency ?? Residency.HomeOnly,
        DataUseConditions.Unrestricted with { Permission = DuoPermission.HMB, Modifiers = [DuoModifier.NCU], ValidUntil = new DateOnly(2030, 1, 31) });

    public void Dispose()
    {
        _fr.Dispose();
        _de.Dispose();
    }

    [Fact]
    public void CanonicalBytes_Statement_FixedOrderNoWhitespace()
    {
        var text = Encoding.UTF8.GetString(DatasetTermsSignature.CanonicalBytes(Statement()));

        Assert.Equal(
            "{\"type\":\"federation.dataset-terms.v1\",\"dataset\":\"FR/health-cohort\",\"version\":4,\"residency\":{\"kind\":\"HomeOnly\",\"nations\":[]},"
            + "\"dataUse\":{\"permission\":\"HMB\",\"diseaseTerm\":null,\"modifiers\":[\"NCU\"],\"nations\":[],\"institutions\":[],\"users\":[],\"projects\":[],"
            + "\"validUntil\":\"2030-01-31\",\"moratoriumUntil\":null}}",
            text);
    }

    [Fact]
    public void Verify_SignedByTheHomesRosteredKey_Valid()
    {
        var signed = DatasetTermsSignature.Sign(Statement(), _fr);

        Assert.Null(DatasetTermsSignature.Verify(signed, [SpkiPin.Compute(_de), SpkiPin.Compute(_fr)]));
    }

    [Fact]
    public void Verify_ResidencyWidenedAfterSigning_RefusedAsAltered()
    {
        var signed = DatasetTermsSignature.Sign(Statement(), _fr);
        var tampered = signed with { Terms = signed.Terms with { Residency = new Residency(ResidencyKind.Anywhere, []) } };

        var failure = DatasetTermsSignature.Verify(tampered, [SpkiPin.Compute(_fr)]);

        Assert.Equal("the signature on the terms of FR/health-cohort does not match them (altered after FR signed them)", failure);
    }

    [Fact]
    public void CanonicalBytes_ExportPolicy_WrittenOnlyWhenMoreThanNone()
    {
        var none = Encoding.UTF8.GetString(DatasetTermsSignature.CanonicalBytes(Statement()));
        var masked = Encoding.UTF8.GetString(DatasetTermsSignature.CanonicalBytes(Statement() with { Exports = ExportPolicy.MaskedUpdates }));

        Assert.DoesNotContain("exports", none, StringComparison.Ordinal);
        Assert.EndsWith("\"moratoriumUntil\":null},\"exports\":\"MaskedUpdates\"}", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ExportPolicyWidenedAfterSigning_RefusedAsAltered()
    {
        var signed = DatasetTermsSignature.Sign(Statement() with { Exports = ExportPolicy.MaskedUpdates }, _fr);
        var tampered = signed with { Terms = signed.Terms with { Exports = ExportPolicy.Updates } };

        Assert.Null(DatasetTermsSignature.Verify(signed, [SpkiPin.Compute(_fr)]));
        Assert.Equal(
            "the signature on the terms of FR/health-cohort does not match them (altered after FR signed them)",
            DatasetTermsSignature.Verify(tampered, [SpkiPin.Compute(_fr)]));
    }

    [Fact]
    public void Verify_SignedByAnotherNationsKey_RefusedAsNotTheHomes()
    {
        var forged = DatasetTermsSignature.Sign(Statement(new Residency(ResidencyKind.Anywhere, [])), _de);

        var failure = DatasetTermsSignature.Verify(forged, [SpkiPin.Compute(_fr)]);

        Assert.StartsWith("the terms of FR/health-cohort are signed by a key that is not FR's on the roster", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64!", "c2ln")]
    [InlineData("", "c2ln")]
    [InlineData("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE", "")]
    public void Verify_MalformedKeyOrSignature_RefusedWithoutThrowing(string key, string signature)
    {
        var signed = DatasetTermsSignature.Sign(Statement(), _fr) with { SignerKey = key, Signature = signature };

        Assert.NotNull(DatasetTermsSignature.Verify(signed, [SpkiPin.Compute(_fr)]));
    }

    [Fact]
    public void Verify_RightKeyWrongLengthSignature_Refused()
    {
        var signed = DatasetTermsSignature.Sign(Statement(), _fr);

        Assert.Contains("not signed with a P-256 key", DatasetTermsSignature.Verify(signed with { Signature = Convert.ToBase64String(new byte[10]) }, [SpkiPin.Compute(_fr)]), StringComparison.Ordinal);
    }
}
