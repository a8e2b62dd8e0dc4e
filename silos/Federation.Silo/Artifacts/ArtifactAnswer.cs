namespace Federation.Silo.Artifacts;

/// <summary>What an artifact operation answers: the record on success, else the problem to send.</summary>
/// <param name="Record">The artifact, on success.</param>
/// <param name="Problem">The problem, on failure.</param>
/// <param name="Created">Whether bytes were stored now (201) rather than found (200).</param>
public sealed record ArtifactAnswer(ArtifactRecord? Record, IResult? Problem, bool Created = false)
{
    /// <summary>A failure.</summary>
    public static ArtifactAnswer Refused(IResult problem) => new(null, problem);
}
