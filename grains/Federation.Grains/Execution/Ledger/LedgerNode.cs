using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Ids;

namespace Federation.Grains.Execution.Ledger;

/// <summary>An agent-managed node as the capacity ledger knows it.</summary>
/// <param name="Node">The node id.</param>
/// <param name="Model">Its accelerator model.</param>
/// <param name="Count">Its accelerators.</param>
/// <param name="State">Up, draining or down.</param>
[GenerateSerializer, Immutable, Alias("fed.LedgerNode")]
public sealed record LedgerNode(
    [property: Id(0)] string Node,
    [property: Id(1)] AcceleratorSlug Model,
    [property: Id(2)] int Count,
    [property: Id(3)] NodeState State);
