namespace Federation.Transparency;

/// <summary>
/// The Merkle Tree Hash of the first n leaves and the proofs over them, from the recursive
/// definitions of RFC 6962 section 2.1 (RFC 9162 sections 2.1.1, 2.1.3.1 and 2.1.4.1), over a list
/// of leaf hashes. Proof elements run from the leaf up to the root.
/// </summary>
public static class MerkleTree
{
    /// <summary>The root of the tree of the first <paramref name="size"/> of <paramref name="leafHashes"/>.</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes, long size)
    {
        Check(leafHashes, size);
        return size == 0 ? MerkleHash.Empty() : Hash(leafHashes, 0, size);
    }

    /// <summary>The inclusion proof (audit path) of leaf <paramref name="index"/> in the tree of the first <paramref name="size"/> leaves.</summary>
    public static IReadOnlyList<byte[]> InclusionProof(IReadOnlyList<byte[]> leafHashes, long index, long size)
    {
        Check(leafHashes, size);
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"An inclusion proof needs 0 <= index < size ({size}).");
        }

        var proof = new List<byte[]>();
        Path(leafHashes, index, 0, size, proof);
        return proof;
    }

    /// <summary>
    /// The consistency proof from the tree of the first <paramref name="first"/> leaves to the tree of the
    /// first <paramref name="second"/>; empty when they are equal (RFC 9162 section 5.3).
    /// </summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leafHashes, long first, long second)
    {
        Check(leafHashes, second);
        if (first <= 0 || first > second)
        {
            throw new ArgumentOutOfRangeException(nameof(first), first, $"A consistency proof needs 0 < first <= second ({second}).");
        }

        var proof = new List<byte[]>();
        if (first < second)
        {
            SubProof(leafHashes, first, 0, second, true, proof);
        }

        return proof;
    }

    private static byte[] Hash(IReadOnlyList<byte[]> leaves, long start, long end)
    {
        var n = end - start;
        if (n == 1)
        {
            return leaves[(int)start];
        }

        var k = MerkleHash.SplitPoint(n);
        return MerkleHash.Node(Hash(leaves, start, start + k), Hash(leaves, start + k, end));
    }

    private static void Path(IReadOnlyList<byte[]> leaves, long m, long start, long end, List<byte[]> proof)
    {
        var n = end - start;
        if (n == 1)
        {
            return;
        }

        var k = MerkleHash.SplitPoint(n);
        if (m < k)
        {
            Path(leaves, m, start, start + k, proof);
            proof.Add(Hash(leaves, start + k, end));
        }
        else
        {
            Path(leaves, m - k, start + k, end, proof);
            proof.Add(Hash(leaves, start, start + k));
        }
    }

    // SUBPROOF(m, D[start:end], b): b says whether D[0:m] is a complete subtree whose hash the verifier knows.
    private static void SubProof(IReadOnlyList<byte[]> leaves, long m, long start, long end, bool known, List<byte[]> proof)
    {
        var n = end - start;
        if (m == n)
        {
            if (!known)
            {
                proof.Add(Hash(leaves, start, end));
            }

            return;
        }

        var k = MerkleHash.SplitPoint(n);
        if (m <= k)
        {
            SubProof(leaves, m, start, start + k, known, proof);
            proof.Add(Hash(leaves, start + k, end));
        }
        else
        {
            SubProof(leaves, m - k, start + k, end, false, proof);
            proof.Add(Hash(leaves, start, start + k));
        }
    }

    private static void Check(IReadOnlyList<byte[]> leafHashes, long size)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        if (size < 0 || size > leafHashes.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"The tree size must be between 0 and the {leafHashes.Count} leaves held.");
        }
    }
}
