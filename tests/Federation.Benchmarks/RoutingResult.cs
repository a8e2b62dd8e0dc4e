namespace Federation.Benchmarks;

/// <summary>What one configuration (nations x nodes) of the routing benchmark measured.</summary>
/// <param name="Setup">The configuration, its adverts and its job mix.</param>
/// <param name="Router">Router.Plan on the adverts.</param>
/// <param name="PerNode">The per-node baseline.</param>
internal sealed record RoutingResult(RoutingSetup Setup, DecisionLatency Router, DecisionLatency PerNode)
{
    /// <summary>Router.Decide on the adverts: the choice without the decision record.</summary>
    public required DecisionLatency Decide { get; init; }

    /// <summary>Router.Plan while other threads burn every processor and allocate.</summary>
    public required DecisionLatency RouterBusy { get; init; }

    /// <summary>Router.Decide while other threads burn every processor and allocate.</summary>
    public required DecisionLatency DecideBusy { get; init; }
}
