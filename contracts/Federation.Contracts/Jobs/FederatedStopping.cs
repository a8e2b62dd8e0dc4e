namespace Federation.Contracts.Jobs;

/// <summary>The stopping rule of a federated job.</summary>
/// <param name="Rule">Stop after the rounds, or when the validation loss settles.</param>
/// <param name="MinLossChange">For <see cref="StoppingRule.ValidationLoss"/>: stop when |loss(r) - loss(r-1)| is below it; null otherwise.</param>
[GenerateSerializer, Immutable, Alias("fed.FederatedStopping")]
public sealed record FederatedStopping(
    [property: Id(0)] StoppingRule Rule,
    [property: Id(1)] double? MinLossChange = null)
{
    /// <summary>Stop after the stated rounds.</summary>
    public static FederatedStopping AfterRounds { get; } = new(StoppingRule.Rounds);
}
