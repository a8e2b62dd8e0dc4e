namespace Federation.Contracts.Routing;

/// <summary>The kinds of step in a federated plan.</summary>
public enum FederatedStepKind
{
    /// <summary>Training on a nation's own inputs, in that nation.</summary>
    LocalTraining = 0,

    /// <summary>Combining the contributors' updates into the next model.</summary>
    Aggregation = 1,
}
