using Federation.Contracts.Ids;

namespace Federation.Learning.Run;

/// <summary>
/// From the aggregator to every contributor: the run of <paramref name="Job"/> is over (<paramref name="Outcome"/>
/// <c>succeeded</c> or <c>stopped</c>, by its rules, a failure or a cancellation). The contributor ends its part:
/// it forgets its round keys, deletes its round material and waits for nothing more.
/// </summary>
/// <param name="Job">The federated job.</param>
/// <param name="From">The aggregating nation (the sender).</param>
/// <param name="Outcome"><c>succeeded</c> or <c>stopped</c>.</param>
[GenerateSerializer, Immutable, Alias("fed.learning.RunEnded")]
public sealed record RunEnded(
    [property: Id(0)] JobRef Job,
    [property: Id(1)] NationCode From,
    [property: Id(2)] string Outcome)
{
    /// <summary>The outcome of a run whose stopping rule held.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The outcome of a run stopped by its round policy, a failure or a cancellation.</summary>
    public const string Stopped = "stopped";
}
