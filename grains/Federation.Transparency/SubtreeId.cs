namespace Federation.Transparency;

/// <summary>
/// A perfect, aligned subtree of the log's Merkle tree: the <c>2^Level</c> leaves from
/// <c>Index * 2^Level</c> on. Level 0 is a single leaf (its leaf hash); a node of level l is the
/// parent of the nodes <c>(l - 1, 2 * Index)</c> and <c>(l - 1, 2 * Index + 1)</c>. These are the
/// subtrees a log of any size shares with every larger one, so their hashes never change.
/// </summary>
/// <param name="Level">The height: the subtree holds 2^Level leaves (0 to 62).</param>
/// <param name="Index">Its position among the subtrees of that level, from 0.</param>
public readonly record struct SubtreeId(int Level, long Index)
{
    /// <summary>The highest level a subtree of a log indexed by <see cref="long"/> can have.</summary>
    public const int MaxLevel = 62;

    /// <summary>The first leaf the subtree holds.</summary>
    public long Start => Index << Level;

    /// <summary>The position after its last leaf.</summary>
    public long End => (Index + 1) << Level;

    /// <summary>Its left child (level above 0).</summary>
    public SubtreeId Left => new(Level - 1, 2 * Index);

    /// <summary>Its right child (level above 0).</summary>
    public SubtreeId Right => new(Level - 1, (2 * Index) + 1);

    /// <summary>Why this is not a subtree of a log (null when it is one).</summary>
    public string? Problem() =>
        Level is < 0 or > MaxLevel ? $"level {Level} is outside 0 to {MaxLevel}"
        : Index < 0 || Index > (long.MaxValue >> Level) - 1 ? $"index {Index} is outside the subtrees of level {Level}"
        : null;
}
