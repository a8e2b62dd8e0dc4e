namespace Federation.Contracts.Catalogue.Nodes;

/// <summary>A node's periodic report.</summary>
/// <param name="PowerDrawWatts">Current draw of the node's accelerators, when measured.</param>
[GenerateSerializer, Immutable, Alias("fed.NodeHeartbeat")]
public sealed record NodeHeartbeat([property: Id(0)] double? PowerDrawWatts);
