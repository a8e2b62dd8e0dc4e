using Federation.Contracts.Ids;

namespace Federation.Silo.Artifacts;

/// <summary>The answer of <c>GET …/verify</c>: every evaluation of a model version checked against the roster.</summary>
/// <param name="Model">The model version.</param>
/// <param name="Sha256">Its bytes' digest as this nation's catalogue states it.</param>
/// <param name="Valid">True when every evaluation verifies (and there is at least none that fails).</param>
/// <param name="Evaluations">Each evaluation with its verdict.</param>
/// <param name="Failures">The failing signatures' problems, each naming the evaluation and nation.</param>
public sealed record ModelVerification(ModelRef Model, Sha256Digest Sha256, bool Valid, IReadOnlyList<EvaluationView> Evaluations, IReadOnlyList<string> Failures);
