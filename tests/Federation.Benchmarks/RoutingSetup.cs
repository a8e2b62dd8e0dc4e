using System.Collections.Immutable;
using Federation.Routing;

namespace Federation.Benchmarks;

/// <summary>One configuration (nations x nodes) ready to time: its adverts, its requests, and what it cost to get there.</summary>
internal sealed record RoutingSetup
{
    public required int Nations { get; init; }

    public required int Nodes { get; init; }

    /// <summary>The distinct jobs, every nation a candidate with the advert built from its nodes.</summary>
    public required ImmutableArray<RoutingRequest> Requests { get; init; }

    /// <summary>The baseline over the same nodes.</summary>
    public required PerNodeRouter PerNode { get; init; }

    /// <summary>Nodes of the smallest and of the largest nation.</summary>
    public required (int Min, int Max) NodesPerNation { get; init; }

    /// <summary>Accelerators on all nodes, and how many of them are free on nodes that are up.</summary>
    public required (long Total, long FreeUp) Accelerators { get; init; }

    /// <summary>Mean and largest number of accelerator models in an advert.</summary>
    public required (double Mean, int Max) AdvertEntries { get; init; }

    /// <summary>Writing the nodes into the nations' read models (setup, as the node grains would over time).</summary>
    public required TimeSpan LoadReadModels { get; init; }

    /// <summary>Building every nation's advert from its read model (median of repeated builds).</summary>
    public required TimeSpan BuildAdverts { get; init; }

    /// <summary>One tight pass over every node of every nation, summing capacity per model (median of repeated passes).</summary>
    public required TimeSpan ScanAllNodes { get; init; }

    /// <summary>Share of the distinct jobs for which a nation was chosen.</summary>
    public required double ChosenShare { get; init; }

    /// <summary>Mean feasible nations per distinct job.</summary>
    public required double MeanFeasible { get; init; }

    /// <summary>Per routing rule, the share of candidate verdicts it excluded.</summary>
    public required IReadOnlyDictionary<string, double> ExcludedBy { get; init; }

    /// <summary>A short name for progress lines.</summary>
    public string Label => $"[{Nations,3} nations, {Nodes,7:N0} nodes]";
}
