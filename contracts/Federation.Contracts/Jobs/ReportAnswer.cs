namespace Federation.Contracts.Jobs;

/// <summary>The origin's answer to an execution report.</summary>
/// <param name="Accepted">True when recorded (or already recorded).</param>
/// <param name="Fenced">True when the report's epoch is no longer current: the run must stop.</param>
/// <param name="Reason">Why, for people.</param>
[GenerateSerializer, Immutable, Alias("fed.ReportAnswer")]
public sealed record ReportAnswer(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] bool Fenced,
    [property: Id(2)] string Reason);
