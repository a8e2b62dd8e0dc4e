using Federation.Contracts.Catalogue.Models;

namespace Federation.Silo.Artifacts;

/// <summary>A signed evaluation with this nation's verdict on its signature.</summary>
/// <param name="Evaluation">The statement.</param>
/// <param name="SignerKey">The signer's key (SPKI, base64).</param>
/// <param name="Signature">The signature (base64).</param>
/// <param name="Verified">Whether the signature verifies against the roster's pins of the evaluating nation.</param>
/// <param name="Problem">Why not, naming the signature; null when verified.</param>
public sealed record EvaluationView(ModelEvaluationStatement Evaluation, string SignerKey, string Signature, bool Verified, string? Problem)
{
    /// <summary>The view of <paramref name="claim"/> as <paramref name="verifier"/> judges it.</summary>
    public static EvaluationView Of(SignedModelEvaluation claim, EvaluationVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(verifier);
        var verdict = verifier.Verify(claim);
        return new EvaluationView(claim.Evaluation, claim.SignerKey, claim.Signature, verdict.Valid, verdict.Problem);
    }
}
