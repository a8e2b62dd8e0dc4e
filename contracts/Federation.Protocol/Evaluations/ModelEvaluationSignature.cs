using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Federation.Contracts.Catalogue.Models;

namespace Federation.Protocol.Evaluations;

/// <summary>
/// Signing and verifying a model evaluation with the evaluating nation's federation key (ECDSA
/// P-256, SHA-256, IEEE P1363 signatures) over one canonical JSON form: a type tag first, members
/// in a fixed order, no whitespace, the time as UTC <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>, numbers in
/// their shortest round-trip form. Every failure names the signature: which evaluation, of which
/// model on which dataset, signed by which nation.
/// </summary>
public static class ModelEvaluationSignature
{
    /// <summary>The type tag of the canonical form; a new form gets a new tag.</summary>
    public const string Type = "federation.model-evaluation.v1";

    /// <summary>The canonical bytes of <paramref name="evaluation"/>, which the evaluating nation signs and every holder verifies.</summary>
    public static byte[] CanonicalBytes(ModelEvaluationStatement evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var buffer = new ArrayBufferWriter<byte>(384);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteString("type", Type);
            json.WriteString("id", evaluation.Id.ToString("D"));
            json.WriteString("model", evaluation.Model.ToString());
            json.WriteString("modelSha256", evaluation.ModelSha256.Value);
            json.WriteString("dataset", evaluation.Dataset.ToString());
            json.WriteString("nation", evaluation.Nation.Value);
            json.WriteString("evaluatedAt", evaluation.EvaluatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteNumber("rows", evaluation.Rows);
            json.WriteNumber("accuracy", evaluation.Accuracy);
            if (evaluation.Auc is { } auc)
            {
                json.WriteNumber("auc", auc);
            }
            else
            {
                json.WriteNull("auc");
            }

            json.WriteNumber("loss", evaluation.Loss);
            json.WriteNumber("calibration", evaluation.Calibration);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Who signed what, for messages: <c>evaluation 1b2c… of tumour-net@1.0 on SE/bench by SE</c>.</summary>
    public static string Name(ModelEvaluationStatement? evaluation) =>
        evaluation is null ? "an evaluation with no statement" : $"evaluation {evaluation.Id:D} of {evaluation.Model} on {evaluation.Dataset} by {evaluation.Nation}";

    /// <summary>Signs <paramref name="evaluation"/> with the private key of <paramref name="certificate"/> (the evaluating nation's federation certificate).</summary>
    /// <exception cref="CryptographicException">The certificate has no ECDSA private key.</exception>
    public static SignedModelEvaluation Sign(ModelEvaluationStatement evaluation, X509Certificate2 certificate)
    {
        var (key, signature) = NationKeySignature.Sign(CanonicalBytes(evaluation), certificate, "evaluations");
        return new SignedModelEvaluation(evaluation, key, signature);
    }

    /// <summary>
    /// Null when <paramref name="claim"/> carries a valid signature by a key whose SPKI pin is one of
    /// <paramref name="nationPins"/> (the evaluating nation's roster pins valid at its time, retired
    /// ones included); otherwise why not, naming the signature.
    /// </summary>
    public static string? Verify(SignedModelEvaluation claim, IReadOnlyCollection<string> nationPins)
    {
        ArgumentNullException.ThrowIfNull(nationPins);
        var evaluation = claim?.Evaluation;
        var name = Name(evaluation);
        if (evaluation is null || evaluation.Nation.Value is null || evaluation.ModelSha256.Value is null || evaluation.Dataset.Nation.Value is null)
        {
            return $"{name}: the signed statement is incomplete";
        }

        return NationKeySignature.Verify(name, CanonicalBytes(evaluation), claim!.SignerKey, claim.Signature, nationPins,
            $"not {evaluation.Nation}'s on the roster at {evaluation.EvaluatedAt:u}", evaluation.Nation.Value);
    }
}
