using System.Security.Cryptography.X509Certificates;
using System.Text;
using Federation.Contracts.Catalogue.Models;
using Federation.Contracts.Ids;
using Federation.Protocol;
using Federation.Protocol.Evaluations;
using Federation.Transparency;

namespace Federation.Unit.Tests.Trust;

/// <summary>Model evaluations signed with the evaluating nation's federation key and verified against its roster pins, retired ones included.</summary>
public sealed class ModelEvaluationSignatureTests : IDisposable
{
    private static readonly DateTimeOffset s_at = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly X509Certificate2 _se = NationCertificates.Create("SE");
    private readonly X509Certificate2 _de = NationCertificates.Create("DE");

    private static ModelEvaluationStatement Statement() => new(
        Guid.Parse("0b6f3a52-7c1e-4d8a-9f00-2a4b6c8d0e1f"),
        TypedId.Parse<ModelRef>("tumour-net@1.0.0"),
        TypedId.Parse<Sha256Digest>(new string('a', 64)),
        TypedId.Parse<DatasetRef>("SE/bench"),
        TypedId.Parse<NationCode>("SE"),
        s_at,
        2000,
        0.875,
        0.91,
        0.31,
        0.04);

    public void Dispose()
    {
        _se.Dispose();
        _de.Dispose();
    }

    [Fact]
    public void CanonicalBytes_Statement_FixedOrderNoWhitespace()
    {
        var text = Encoding.UTF8.GetString(ModelEvaluationSignature.CanonicalBytes(Statement()));

        Assert.Equal(
            "{\"type\":\"federation.model-evaluation.v1\",\"id\":\"0b6f3a52-7c1e-4d8a-9f00-2a4b6c8d0e1f\",\"model\":\"tumour-net@1.0.0\","
            + $"\"modelSha256\":\"{new string('a', 64)}\",\"dataset\":\"SE/bench\",\"nation\":\"SE\",\"evaluatedAt\":\"2026-03-01T12:00:00.0000000Z\","
            + "\"rows\":2000,\"accuracy\":0.875,\"auc\":0.91,\"loss\":0.31,\"calibration\":0.04}",
            text);
    }

    [Fact]
    public void Verify_SignedByTheEvaluatingNationsRosteredKey_Valid()
    {
        var signed = ModelEvaluationSignature.Sign(Statement(), _se);

        Assert.Null(ModelEvaluationSignature.Verify(signed, [SpkiPin.Compute(_de), SpkiPin.Compute(_se)]));
    }

    [Fact]
    public void Verify_OneByteOfTheSignatureAltered_FailsNamingTheSignature()
    {
        var signed = ModelEvaluationSignature.Sign(Statement(), _se);
        var bytes = Convert.FromBase64String(signed.Signature);
        bytes[10] ^= 0x01;

        var failure = ModelEvaluationSignature.Verify(signed with { Signature = Convert.ToBase64String(bytes) }, [SpkiPin.Compute(_se)]);

        Assert.Equal("evaluation 0b6f3a52-7c1e-4d8a-9f00-2a4b6c8d0e1f of tumour-net@1.0.0 on SE/bench by SE: the signature does not match the statement (altered after SE signed it)", failure);
    }

    [Fact]
    public void Verify_AccuracyRaisedAfterSigning_FailsAsAltered()
    {
        var signed = ModelEvaluationSignature.Sign(Statement(), _se);

        var failure = ModelEvaluationSignature.Verify(signed with { Evaluation = signed.Evaluation with { Accuracy = 0.975 } }, [SpkiPin.Compute(_se)]);

        Assert.Contains("altered after SE signed it", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignedByAnotherNationsKey_FailsNamingTheNation()
    {
        var forged = ModelEvaluationSignature.Sign(Statement(), _de);

        var failure = ModelEvaluationSignature.Verify(forged, [SpkiPin.Compute(_se)]);

        Assert.StartsWith("evaluation 0b6f3a52-7c1e-4d8a-9f00-2a4b6c8d0e1f of tumour-net@1.0.0 on SE/bench by SE: signed by a key that is not SE's on the roster", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_KeyRetiredAfterTheEvaluation_ValidWithTheRetiredPinOnly()
    {
        var signed = ModelEvaluationSignature.Sign(Statement(), _se);
        var rotated = new NationPins([SpkiPin.Compute(_de)], [KeyValuePair.Create(SpkiPin.Compute(_se), s_at.AddDays(30))]);
        var retiredBefore = new NationPins([SpkiPin.Compute(_de)], [KeyValuePair.Create(SpkiPin.Compute(_se), s_at.AddDays(-1))]);

        Assert.Null(ModelEvaluationSignature.Verify(signed, rotated.ValidAt(signed.Evaluation.EvaluatedAt)));
        Assert.Contains("not SE's on the roster", ModelEvaluationSignature.Verify(signed, retiredBefore.ValidAt(signed.Evaluation.EvaluatedAt)), StringComparison.Ordinal);
    }
}
