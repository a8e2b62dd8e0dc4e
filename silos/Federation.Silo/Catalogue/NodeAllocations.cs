using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;

namespace Federation.Silo.Catalogue;

/// <summary>
/// The nodes API shows each node's allocations from the capacity ledger, which holds them: a node's
/// own record no longer changes per allocation (one ledger call per page, none per node).
/// </summary>
internal static class NodeAllocations
{
    /// <summary><paramref name="nodes"/> with their allocations as the ledger holds them now.</summary>
    public static async Task<IReadOnlyList<GpuNodeRecord>> FromLedgerAsync(IGrainFactory grains, IReadOnlyList<GpuNodeRecord> nodes)
    {
        if (nodes.Count == 0)
        {
            return nodes;
        }

        var held = await grains.GetGrain<ICapacityLedgerGrain>(ICapacityLedgerGrain.Agents).HoldingsAsync([.. nodes.Select(n => n.Spec.Id.Value)]);
        return [.. nodes.Select(n => n with { Allocations = held.TryGetValue(n.Spec.Id.Value, out var a) ? a : [] })];
    }
}
