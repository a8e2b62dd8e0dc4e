using System.Collections.Immutable;
using Federation.Contracts.Peers;

namespace Federation.Contracts.Catalogue.Nodes;

/// <summary>What the capacity ledger holds now, as admission and adverts read it.</summary>
/// <param name="Agents">Per model over the agent-managed nodes: free on nodes that are up, total on nodes that are up or draining; ordered by model.</param>
/// <param name="ForeignHeld">Accelerators held by other nations' jobs: on agent nodes that are not down, and in Slurm pools.</param>
/// <param name="Ahead">As a run in line sees it (<c>ICapacityLedgerGrain.WaitAsync</c>): how many runs ranked ahead of it want a model it can use; 0 otherwise.</param>
[GenerateSerializer, Immutable, Alias("fed.CapacitySnapshot")]
public sealed record CapacitySnapshot(
    [property: Id(0)] ImmutableArray<AcceleratorCapacity> Agents,
    [property: Id(1)] int ForeignHeld,
    [property: Id(2)] int Ahead = 0);
