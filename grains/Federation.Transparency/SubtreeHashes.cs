namespace Federation.Transparency;

/// <summary>The rules every store applies to subtree hashes it is asked to keep.</summary>
public static class SubtreeHashes
{
    /// <summary>Refuses a batch with a null element, a node at level 0 or outside a log's subtrees, or a hash of the wrong length.</summary>
    /// <exception cref="ArgumentException">Names the element and the rule.</exception>
    public static void Check(IReadOnlyCollection<SubtreeHash> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var i = 0;
        foreach (var node in nodes)
        {
            var problem = node is null ? "is null"
                : node.Node.Level == 0 ? "is a leaf (level 0): leaf hashes are the entries' own"
                : node.Node.Problem() is { } bad ? bad
                : node.Hash is not { Length: MerkleHash.Size } ? $"hash must be {MerkleHash.Size} bytes"
                : null;
            if (problem is not null)
            {
                throw new ArgumentException($"nodes[{i}]: {problem}.", nameof(nodes));
            }

            i++;
        }
    }
}
