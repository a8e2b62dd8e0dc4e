namespace Federation.Contracts.Jobs;

/// <summary>The origin's answer to a lease renewal: a duration, never a clock time.</summary>
/// <param name="Verdict">Continue, cancel or fenced.</param>
/// <param name="LeaseSeconds">For Continue: the lease granted from now.</param>
/// <param name="Reason">Why, for people.</param>
[GenerateSerializer, Immutable, Alias("fed.LeaseAnswer")]
public sealed record LeaseAnswer(
    [property: Id(0)] LeaseVerdict Verdict,
    [property: Id(1)] double LeaseSeconds,
    [property: Id(2)] string Reason);
