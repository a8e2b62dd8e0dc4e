namespace Federation.Contracts.Jobs;

/// <summary>Who a job belongs to.</summary>
/// <param name="User">The submitting user (asked by the US modifier).</param>
/// <param name="Consortium">The research consortium the user submits for, if any.</param>
[GenerateSerializer, Immutable, Alias("fed.JobOwner")]
public sealed record JobOwner(
    [property: Id(0)] string User,
    [property: Id(1)] string? Consortium);
