namespace Federation.Learning.Aggregation;

/// <summary>The privacy spent so far: (Epsilon, Delta)-DP at nation level after <see cref="Rounds"/> noisy rounds.</summary>
[GenerateSerializer, Immutable, Alias("fed.learning.PrivacyBudget")]
public sealed record PrivacyBudget(
    [property: Id(0)] double Epsilon,
    [property: Id(1)] double Delta,
    [property: Id(2)] int Rounds,
    [property: Id(3)] double NoiseMultiplier);
