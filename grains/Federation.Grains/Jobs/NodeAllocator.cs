using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Grains.Catalogue.Index;

namespace Federation.Grains.Jobs;

/// <summary>Allocates accelerators of one model over this nation's GPU node grains, all or nothing, and releases them.</summary>
public sealed class NodeAllocator(IGrainFactory grains, ICatalogueIndex index)
{
    /// <summary>Takes <paramref name="count"/> accelerators of <paramref name="slug"/> for <paramref name="holder"/>, the freest nodes first; null (and nothing held) when they are not there.</summary>
    public async Task<ImmutableSortedDictionary<string, int>?> AllocateAsync(string holder, AcceleratorSlug slug, int count)
    {
        var nodes = await index.QueryNodesAsync(new NodeQuery { Accelerator = slug.Value, State = NodeState.Up, Limit = 500 });
        var taken = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        var needed = count;
        foreach (var node in nodes.Items.OrderByDescending(n => n.FreeAccelerators))
        {
            if (needed == 0)
            {
                break;
            }

            var take = Math.Min(needed, node.FreeAccelerators);
            if (take > 0 && (await grains.GetGrain<IGpuNodeGrain>(node.Spec.Id.GrainKey).AllocateAsync(holder, take)).Succeeded)
            {
                taken[node.Spec.Id.Value] = take;
                needed -= take;
            }
        }

        if (needed == 0)
        {
            return taken.ToImmutable();
        }

        await ReleaseAsync(holder, taken.ToImmutable());
        return null;
    }

    /// <summary>Releases what <paramref name="holder"/> holds on the nodes of <paramref name="allocations"/>.</summary>
    public async Task ReleaseAsync(string holder, ImmutableSortedDictionary<string, int> allocations)
    {
        foreach (var node in allocations.Keys)
        {
            await grains.GetGrain<IGpuNodeGrain>(TypedId.Parse<NodeId>(node).GrainKey).ReleaseAsync(holder);
        }
    }
}
