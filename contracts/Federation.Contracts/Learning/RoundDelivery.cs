namespace Federation.Contracts.Learning;

/// <summary>
/// How a federated run's grain took a round message: accepted, or refused with the rule's name
/// (<c>notInRound</c>, <c>wrongRound</c>, <c>duplicate</c>, <c>badSignature</c>, ...) and a sentence.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.learning.RoundDelivery")]
public sealed record RoundDelivery(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] string? Reason,
    [property: Id(2)] string? Detail)
{
    /// <summary>The message was taken.</summary>
    public static RoundDelivery Ok { get; } = new(true, null, null);

    /// <summary>No run of the job is held here.</summary>
    public static RoundDelivery NoRun(string job) => new(false, "noRun", $"No federated run of {job} is held in this nation.");
}
