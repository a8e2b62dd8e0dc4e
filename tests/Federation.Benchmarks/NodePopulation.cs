using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Catalogue;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Ids;
using Federation.Contracts.Peers;
using Federation.Grains.Catalogue.Index;
using Federation.Reference;

namespace Federation.Benchmarks;

/// <summary>
/// The GPU nodes behind the adverts: a given number of nodes spread over the nations (a few large
/// nations, many small ones), each with a model of the shipped accelerator table, a count, its
/// free accelerators and its state. Each nation runs a few models; which ones, and how large the
/// nation is relative to the others, depend only on the seed and the nation, not on the total.
/// </summary>
internal sealed class NodePopulation
{
    private static readonly DateTimeOffset s_registered = new(2025, 5, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly NodeRow[][] _nodes;

    private NodePopulation(ImmutableArray<AcceleratorSlug> slugs, NodeRow[][] nodes)
    {
        Slugs = slugs;
        _nodes = nodes;
        Total = nodes.Sum(n => n.Length);
    }

    /// <summary>The accelerator models of the shipped table, in the (ordinal) order adverts list them.</summary>
    public ImmutableArray<AcceleratorSlug> Slugs { get; }

    /// <summary>Nodes in the whole federation.</summary>
    public int Total { get; }

    /// <summary>How many nations the nodes are spread over.</summary>
    public int NationCount => _nodes.Length;

    /// <summary>The nodes of the nation at <paramref name="nation"/>.</summary>
    public ReadOnlySpan<NodeRow> NodesOf(int nation) => _nodes[nation];

    /// <summary>Nodes of the smallest and of the largest nation.</summary>
    public (int Min, int Max) NodesPerNation => (_nodes.Min(n => n.Length), _nodes.Max(n => n.Length));

    /// <summary>Accelerators on all nodes, and how many of them are free on nodes that are up.</summary>
    public (long Accelerators, long FreeUp) Accelerators =>
        (_nodes.Sum(n => n.Sum(r => (long)r.Count)), _nodes.Sum(n => n.Where(r => r.State == NodeState.Up).Sum(r => (long)r.Free)));

    /// <summary><paramref name="totalNodes"/> nodes over <paramref name="nations"/> nations.</summary>
    public static NodePopulation Generate(int seed, int nations, int totalNodes, ReferenceTables reference)
    {
        var slugs = reference.Accelerators.Select(a => a.Slug).OrderBy(s => s.Value, StringComparer.Ordinal).ToImmutableArray();

        // Nation sizes follow a Zipf law (exponent 0.8) over a seeded order of the nations.
        var order = Enumerable.Range(0, nations).ToArray();
        new Random(seed).Shuffle(order);
        var weights = new double[nations];
        for (var rank = 0; rank < nations; rank++)
        {
            weights[order[rank]] = 1 / Math.Pow(rank + 1, 0.8);
        }

        var sizes = Apportion(weights, totalNodes);
        var nodes = new NodeRow[nations][];
        for (var n = 0; n < nations; n++)
        {
            // The nation's models (2 to 6 of the table, the first the most common) depend on the seed and the nation alone.
            var models = slugs.Select((_, i) => i).ToArray();
            var modelRandom = new Random(unchecked((seed * 104_729) + n));
            modelRandom.Shuffle(models);
            models = models[..modelRandom.Next(2, 7)];

            var random = new Random(unchecked((seed * 15_485_863) + (n * 7_919) + totalNodes));
            var rows = new NodeRow[sizes[n]];
            for (var i = 0; i < rows.Length; i++)
            {
                // Model k of the nation with weight 1/(k+1).
                var pick = random.NextDouble() * models.Select((_, k) => 1.0 / (k + 1)).Sum();
                var model = 0;
                while (model < models.Length - 1 && (pick -= 1.0 / (model + 1)) > 0)
                {
                    model++;
                }

                var count = random.Next(100) switch { < 10 => 1, < 25 => 2, < 55 => 4, _ => 8 };
                var state = random.Next(100) switch { < 90 => NodeState.Up, < 95 => NodeState.Draining, _ => NodeState.Down };
                var free = random.Next(100) switch { < 35 => count, < 65 => 0, _ => random.Next(count + 1) };
                rows[i] = new NodeRow(models[model], count, free, state);
            }

            nodes[n] = rows;
        }

        return new NodePopulation(slugs, nodes);
    }

    /// <summary>
    /// The nation's capacity per model, straight from its nodes, as the read model sums it: nodes
    /// that are down are left out; free accelerators count on nodes that are up, total ones on
    /// nodes that are up or draining; models in ordinal order. One pass over the nodes.
    /// </summary>
    public ImmutableArray<AcceleratorCapacity> Summarise(int nation)
    {
        Span<int> free = stackalloc int[Slugs.Length];
        Span<int> total = stackalloc int[Slugs.Length];
        Span<bool> seen = stackalloc bool[Slugs.Length];
        foreach (var node in _nodes[nation])
        {
            if (node.State == NodeState.Down)
            {
                continue;
            }

            seen[node.Slug] = true;
            total[node.Slug] += node.Count;
            if (node.State == NodeState.Up)
            {
                free[node.Slug] += node.Free;
            }
        }

        var summary = ImmutableArray.CreateBuilder<AcceleratorCapacity>();
        for (var s = 0; s < Slugs.Length; s++)
        {
            if (seen[s])
            {
                summary.Add(new AcceleratorCapacity(Slugs[s], free[s], total[s]));
            }
        }

        return summary.DrainToImmutable();
    }

    /// <summary>
    /// One catalogue read model per nation (the embedded mode's <see cref="InMemoryCatalogueIndex"/>),
    /// holding the nation's nodes as the node grains write them.
    /// </summary>
    public async Task<InMemoryCatalogueIndex[]> LoadReadModelsAsync(ImmutableArray<NationCode> nations, ReferenceTables reference)
    {
        var indexes = new InMemoryCatalogueIndex[_nodes.Length];
        for (var n = 0; n < _nodes.Length; n++)
        {
            var index = new InMemoryCatalogueIndex();
            var rows = _nodes[n];
            for (var i = 0; i < rows.Length; i++)
            {
                await index.UpsertNodeAsync(Record(nations[n], i, rows[i], reference));
            }

            indexes[n] = index;
        }

        return indexes;
    }

    private GpuNodeRecord Record(NationCode nation, int i, NodeRow row, ReferenceTables reference)
    {
        var slug = Slugs[row.Slug];
        var used = row.Count - row.Free;
        return new GpuNodeRecord
        {
            Spec = new GpuNodeSpec
            {
                Id = TypedId.Parse<NodeId>(string.Create(CultureInfo.InvariantCulture, $"gpu-{nation.Value.ToLowerInvariant()}-{i:D6}")),
                Site = string.Create(CultureInfo.InvariantCulture, $"site-{i % 5}"),
                Accelerator = slug,
                Count = row.Count,
                MemoryGb = reference.FindAccelerator(slug)?.MemoryGb ?? 0,
                Lease = TimeSpan.FromSeconds(90),
            },
            State = row.State,
            StateReason = row.State == NodeState.Down ? "lease expired" : "heartbeat",
            Status = CatalogueStatus.Active,
            LastHeartbeat = s_registered.AddDays(30),
            Allocations = used > 0 ? [new Allocation(string.Create(CultureInfo.InvariantCulture, $"{nation}/job-{i}"), used, s_registered.AddDays(29))] : [],
            Version = 1,
            CreatedAt = s_registered,
            UpdatedAt = s_registered.AddDays(30),
        };
    }

    /// <summary>Whole numbers proportional to <paramref name="weights"/> that add up to <paramref name="total"/> (largest remainders).</summary>
    private static int[] Apportion(double[] weights, int total)
    {
        var sum = weights.Sum();
        var exact = weights.Select(w => w / sum * total).ToArray();
        var sizes = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var left = total - sizes.Sum();
        foreach (var i in Enumerable.Range(0, weights.Length).OrderByDescending(i => exact[i] - sizes[i]).Take(left))
        {
            sizes[i]++;
        }

        return sizes;
    }
}
