namespace Federation.Transparency;

/// <summary>
/// Inclusion and consistency proofs over a stored log, from O(log n) stored hashes: the proof's
/// ranges (<see cref="MerkleRanges"/>) are covered by perfect subtrees, whose hashes the head
/// publisher keeps as the log grows (<see cref="ITransparencyLog.AddSubtreeHashesAsync"/>). A subtree
/// not kept yet is derived from its children, down to the stored leaf hashes, and kept for the next
/// proof. When a signed head of the proof's size exists, the proof is checked against its root
/// before it is served; a proof that fails (a wrong stored subtree) is computed again from every
/// leaf hash, as <see cref="MerkleTree"/> defines it.
/// </summary>
/// <param name="log">The nation's log.</param>
public sealed class TransparencyProver(ITransparencyLog log)
{
    /// <summary>The proof that entry <paramref name="index"/> is in the tree of the first <paramref name="size"/> entries, with that entry's row.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index or size is outside the log.</exception>
    public async Task<(LoggedEntry Entry, IReadOnlyList<byte[]> Proof)> InclusionAsync(long index, long size, CancellationToken cancellationToken = default)
    {
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index: must be between 0 and size - 1 ({size - 1}).");
        }

        var rows = await log.ReadAsync(index, 1, cancellationToken);
        if (rows.Count == 0 || rows[0].Index != index)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index: the log holds no entry {index}.");
        }

        var proof = await HashesAsync(MerkleRanges.Inclusion(index, size), size, cancellationToken);
        if (await HeadOfSizeAsync(size, cancellationToken) is { } head
            && MerkleProofs.VerifyInclusion(index, size, rows[0].LeafHash, proof, head.Root) is not null)
        {
            proof = MerkleTree.InclusionProof(await log.LeafHashesAsync(size, cancellationToken), index, size);
        }

        return (rows[0], proof);
    }

    /// <summary>The proof that the first <paramref name="first"/> entries are a prefix of the first <paramref name="second"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The sizes are out of order or outside the log.</exception>
    public async Task<IReadOnlyList<byte[]>> ConsistencyAsync(long first, long second, CancellationToken cancellationToken = default)
    {
        if (first <= 0 || first > second)
        {
            throw new ArgumentOutOfRangeException(nameof(first), first, $"first: must be between 1 and second ({second}).");
        }

        var proof = await HashesAsync(MerkleRanges.Consistency(first, second), second, cancellationToken);
        if (first < second
            && await HeadOfSizeAsync(first, cancellationToken) is { } older
            && await HeadOfSizeAsync(second, cancellationToken) is { } newer
            && MerkleProofs.VerifyConsistency(first, second, older.Root, newer.Root, proof) is not null)
        {
            proof = MerkleTree.ConsistencyProof(await log.LeafHashesAsync(second, cancellationToken), first, second);
        }

        return proof;
    }

    private async Task<TreeHead?> HeadOfSizeAsync(long size, CancellationToken cancellationToken) =>
        (await log.HeadsAsync(size, 1, cancellationToken)).FirstOrDefault(h => h.Head.Size == size)?.Head;

    private async Task<IReadOnlyList<byte[]>> HashesAsync(IReadOnlyList<(long Start, long End)> ranges, long size, CancellationToken cancellationToken)
    {
        var logSize = await log.SizeAsync(cancellationToken);
        if (size > logSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"size: the log holds {logSize} entries.");
        }

        var needed = ranges.SelectMany(r => MerkleRanges.Cover(r.Start, r.End)).ToHashSet();
        var hashes = await ResolveAsync(needed, size, cancellationToken);
        return [.. ranges.Select(r => MerkleRanges.Hash(r.Start, r.End, hashes))];
    }

    // Reads the nodes, then the children of those not kept, level by level down to the leaves; derives
    // the missing ones bottom-up and keeps them.
    private async Task<Dictionary<SubtreeId, byte[]>> ResolveAsync(HashSet<SubtreeId> needed, long size, CancellationToken cancellationToken)
    {
        var known = new Dictionary<SubtreeId, byte[]>();
        var derived = new HashSet<SubtreeId>();
        var wanted = needed;
        while (wanted.Count > 0)
        {
            var got = await log.SubtreeHashesAsync(wanted, cancellationToken);
            var next = new HashSet<SubtreeId>();
            foreach (var node in wanted)
            {
                if (got.TryGetValue(node, out var hash) && hash is { Length: MerkleHash.Size })
                {
                    known[node] = hash;
                }
                else if (node.Level == 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(size), size, $"size: the log holds no entry {node.Index}.");
                }
                else
                {
                    derived.Add(node);
                    next.UnionWith([node.Left, node.Right]);
                }
            }

            next.ExceptWith(known.Keys);
            next.ExceptWith(derived);
            wanted = next;
        }

        if (derived.Count == 0)
        {
            return known;
        }

        var made = new List<SubtreeHash>(derived.Count);
        foreach (var node in derived.OrderBy(n => n.Level))
        {
            var hash = MerkleHash.Node(known[node.Left], known[node.Right]);
            known[node] = hash;
            made.Add(new SubtreeHash(node, hash));
        }

        await log.AddSubtreeHashesAsync(made, cancellationToken);
        return known;
    }
}
