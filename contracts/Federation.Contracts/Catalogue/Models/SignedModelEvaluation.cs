namespace Federation.Contracts.Catalogue.Models;

/// <summary>An evaluation with the evaluating nation's signature over its canonical bytes.</summary>
/// <param name="Evaluation">What the evaluating nation states.</param>
/// <param name="SignerKey">The signer's public key, SubjectPublicKeyInfo DER in base64; its SHA-256 must be one of the evaluating nation's roster pins valid at <see cref="ModelEvaluationStatement.EvaluatedAt"/>.</param>
/// <param name="Signature">ECDSA P-256 with SHA-256 over the canonical bytes, IEEE P1363 (r||s) in base64.</param>
[GenerateSerializer, Immutable, Alias("fed.SignedModelEvaluation")]
public sealed record SignedModelEvaluation(
    [property: Id(0)] ModelEvaluationStatement Evaluation,
    [property: Id(1)] string SignerKey,
    [property: Id(2)] string Signature);
