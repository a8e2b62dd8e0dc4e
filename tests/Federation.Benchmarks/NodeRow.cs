using Federation.Contracts.Catalogue.Nodes;

namespace Federation.Benchmarks;

/// <summary>One GPU node, compact: what a per-node router reads when it scans a nation's nodes.</summary>
/// <param name="Slug">Index of the accelerator model in <see cref="NodePopulation.Slugs"/>.</param>
/// <param name="Count">Accelerators on the node.</param>
/// <param name="Free">Accelerators not held by any job.</param>
/// <param name="State">Up, draining or down.</param>
internal readonly record struct NodeRow(int Slug, int Count, int Free, NodeState State);
