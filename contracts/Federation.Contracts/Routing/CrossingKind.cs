namespace Federation.Contracts.Routing;

/// <summary>What a federated plan lets cross a border; never rows.</summary>
public enum CrossingKind
{
    /// <summary>A contributor's model update, masked pairwise so that only the sum can be read.</summary>
    MaskedUpdates = 0,

    /// <summary>A contributor's plain model update (secure aggregation off, every input exporting <c>updates</c>).</summary>
    Updates = 1,

    /// <summary>The aggregated model of a round, sent back to the contributors and, at the end, to the origin.</summary>
    AggregatedModel = 2,

    /// <summary>Metrics (validation loss) that the stopping rule reads.</summary>
    Metrics = 3,
}
