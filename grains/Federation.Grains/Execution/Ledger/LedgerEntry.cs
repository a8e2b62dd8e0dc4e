using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Grains.Execution.Ledger;

/// <summary>What one holder (an execution) holds.</summary>
/// <param name="Holder">The execution's key.</param>
/// <param name="Pool">The pool.</param>
/// <param name="Model">The accelerator model.</param>
/// <param name="Count">Accelerators held in all.</param>
/// <param name="Nodes">Node id to count on agent-managed nodes; empty for a pool that allocates itself (Slurm).</param>
/// <param name="Foreign">True when the job comes from another nation.</param>
/// <param name="Since">When it was taken.</param>
[GenerateSerializer, Immutable, Alias("fed.LedgerEntry")]
public sealed record LedgerEntry(
    [property: Id(0)] string Holder,
    [property: Id(1)] string Pool,
    [property: Id(2)] AcceleratorSlug Model,
    [property: Id(3)] int Count,
    [property: Id(4)] ImmutableSortedDictionary<string, int> Nodes,
    [property: Id(5)] bool Foreign,
    [property: Id(6)] DateTimeOffset Since);
