using System.Collections.Immutable;
using Federation.Grains.Catalogue.Index;

namespace Federation.Grains.Execution.Ledger;

/// <summary>
/// The capacity ledger of a nation that has none yet (its first activation in a database written by a
/// build before it), rebuilt from the node records and the allocations they carry, so that an existing
/// nation upgrades in place.
/// </summary>
public static class LedgerRebuild
{
    private const int NodePage = 500;

    /// <summary>The ledger from every node record in <paramref name="index"/>; what they hold is counted in <paramref name="agentPool"/>.</summary>
    /// <param name="index">The catalogue's node index.</param>
    /// <param name="agentPool">The pool agent-managed nodes belong to.</param>
    /// <param name="isForeign">True for a holder whose job comes from another nation.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public static async Task<CapacityLedger> FromNodeRecordsAsync(ICatalogueIndex index, string agentPool, Func<string, bool> isForeign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(isForeign);
        var nodes = new List<LedgerNode>();
        var entries = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        string? after = null;
        do
        {
            var page = await index.QueryNodesAsync(new NodeQuery { After = after, Limit = NodePage }, cancellationToken);
            foreach (var record in page.Items)
            {
                var node = record.Spec.Id.Value;
                nodes.Add(new LedgerNode(node, record.Spec.Accelerator, record.Spec.Count, record.State));
                foreach (var allocation in record.Allocations)
                {
                    entries[allocation.Holder] = entries.TryGetValue(allocation.Holder, out var entry)
                        ? entry with { Count = entry.Count + allocation.Count, Nodes = entry.Nodes.SetItem(node, allocation.Count) }
                        : new LedgerEntry(allocation.Holder, agentPool, record.Spec.Accelerator, allocation.Count,
                            ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal).Add(node, allocation.Count), isForeign(allocation.Holder), allocation.Since);
                }
            }

            after = page.NextAfter;
        }
        while (after is not null);

        return new CapacityLedger(nodes, entries.Values);
    }
}
