using Federation.Contracts.Catalogue.Models;
using Federation.Grains.Nations;
using Federation.Protocol.Evaluations;
using Federation.Silo.Peering;
using Federation.Silo.Transparency;

namespace Federation.Silo.Artifacts;

/// <summary>
/// Verifies a signed model evaluation against the roster: the evaluating nation must be on it (or be
/// this nation), and the signer key's pin one of that nation's pins valid when it signed (retired
/// pins included up to their end), so an evaluation made before a key rotation stays valid.
/// </summary>
public sealed class EvaluationVerifier(RosterStore roster, NationIdentity identity, LocalNation local, TimeProvider time)
{
    /// <summary>The verdict on one evaluation.</summary>
    /// <param name="Valid">Whether it is.</param>
    /// <param name="OnRoster">False when the evaluating nation is not on the roster at all (a forgery to refuse and log).</param>
    /// <param name="Problem">Why not, naming the signature; null when valid.</param>
    public sealed record Verdict(bool Valid, bool OnRoster, string? Problem);

    /// <summary>Verifies <paramref name="claim"/>.</summary>
    public Verdict Verify(SignedModelEvaluation claim)
    {
        var name = ModelEvaluationSignature.Name(claim?.Evaluation);
        if (EvaluationRules.Problem(claim?.Evaluation, time.GetUtcNow()) is { } broken)
        {
            return new Verdict(false, true, $"{name}: {broken.Field} {broken.Rule}");
        }

        var evaluation = claim!.Evaluation;
        var pins = new List<string>();
        if (evaluation.Nation == local.Code && identity.Pin is { } own)
        {
            pins.Add(own);
        }

        if (roster.Find(evaluation.Nation.Value) is { } entry)
        {
            pins.AddRange(RosterPins.Of(entry).ValidAt(evaluation.EvaluatedAt));
        }
        else if (pins.Count == 0)
        {
            return new Verdict(false, false, $"{name}: {evaluation.Nation} is not on the federation roster of {local.Code}, so nothing it signs is trusted");
        }

        var problem = ModelEvaluationSignature.Verify(claim, pins);
        return new Verdict(problem is null, true, problem);
    }
}
