namespace Federation.Transparency;

/// <summary>
/// The incremental root of an append-only log (a compact range from 0, also called the frontier):
/// the roots of the perfect subtrees that make up the first <see cref="Size"/> leaves, largest first.
/// An append merges equal-sized subtrees (O(log n)); the root folds them right to left, which is the
/// RFC 6962 Merkle Tree Hash because its left subtrees are always perfect.
/// </summary>
public sealed class CompactRange
{
    private readonly List<(byte[] Hash, long Leaves)> _peaks = [];

    /// <summary>Leaves appended so far.</summary>
    public long Size { get; private set; }

    /// <summary>Appends the leaf with hash <paramref name="leafHash"/>.</summary>
    public void Append(byte[] leafHash) => Append(leafHash, null);

    /// <summary>
    /// Appends the leaf with hash <paramref name="leafHash"/> and adds to <paramref name="completed"/>
    /// the perfect subtrees (level 1 and above) that this leaf completes, smallest first: the hashes
    /// <see cref="ITransparencyLog.AddSubtreeHashesAsync"/> keeps for O(log n) proofs.
    /// </summary>
    public void Append(byte[] leafHash, ICollection<SubtreeHash>? completed)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"A leaf hash is {MerkleHash.Size} bytes, not {leafHash.Length}.", nameof(leafHash));
        }

        var hash = leafHash;
        var leaves = 1L;
        var level = 0;
        while (_peaks.Count > 0 && _peaks[^1].Leaves == leaves)
        {
            hash = MerkleHash.Node(_peaks[^1].Hash, hash);
            leaves *= 2;
            level++;
            _peaks.RemoveAt(_peaks.Count - 1);
            completed?.Add(new SubtreeHash(new SubtreeId(level, Size >> level), hash));
        }

        _peaks.Add((hash, leaves));
        Size++;
    }

    /// <summary>The Merkle Tree Hash of the leaves appended so far.</summary>
    public byte[] Root()
    {
        if (_peaks.Count == 0)
        {
            return MerkleHash.Empty();
        }

        var root = _peaks[^1].Hash;
        for (var i = _peaks.Count - 2; i >= 0; i--)
        {
            root = MerkleHash.Node(_peaks[i].Hash, root);
        }

        return root;
    }
}
