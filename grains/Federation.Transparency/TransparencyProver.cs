namespace Federation.Transparency;

/// <summary>Inclusion and consistency proofs over a stored log.</summary>
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

        var hashes = await log.LeafHashesAsync(size, cancellationToken);
        var rows = await log.ReadAsync(index, 1, cancellationToken);
        return (rows[0], MerkleTree.InclusionProof(hashes, index, size));
    }

    /// <summary>The proof that the first <paramref name="first"/> entries are a prefix of the first <paramref name="second"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The sizes are out of order or outside the log.</exception>
    public async Task<IReadOnlyList<byte[]>> ConsistencyAsync(long first, long second, CancellationToken cancellationToken = default)
    {
        if (first <= 0 || first > second)
        {
            throw new ArgumentOutOfRangeException(nameof(first), first, $"first: must be between 1 and second ({second}).");
        }

        var hashes = await log.LeafHashesAsync(second, cancellationToken);
        return MerkleTree.ConsistencyProof(hashes, first, second);
    }
}
