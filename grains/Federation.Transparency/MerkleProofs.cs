namespace Federation.Transparency;

/// <summary>
/// Verification of inclusion and consistency proofs by the iterative algorithms of RFC 9162
/// sections 2.1.3.2 and 2.1.4.2, with the edge cases outside their preconditions made explicit:
/// every hash must be <see cref="MerkleHash.Size"/> bytes, the proof length must be exact, a
/// consistency proof between equal sizes must be empty with equal roots, and size 0 has no proof.
/// </summary>
public static class MerkleProofs
{
    /// <summary>Null when <paramref name="proof"/> shows that <paramref name="leafHash"/> is leaf <paramref name="index"/> of the tree of <paramref name="size"/> leaves with <paramref name="root"/>; otherwise why not.</summary>
    public static string? VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index < 0 || index >= size)
        {
            return $"leaf index {index} is outside a tree of size {size}";
        }

        if (leafHash.Length != MerkleHash.Size || root.Length != MerkleHash.Size || proof.Any(p => p is not { Length: MerkleHash.Size }))
        {
            return $"every hash of an inclusion proof must be {MerkleHash.Size} bytes";
        }

        var fn = (ulong)index;
        var sn = (ulong)size - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (sn == 0)
            {
                return $"the inclusion proof of leaf {index} in size {size} is too long ({proof.Count} hashes)";
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleHash.Node(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleHash.Node(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        if (sn != 0)
        {
            return $"the inclusion proof of leaf {index} in size {size} is too short ({proof.Count} hashes)";
        }

        return MerkleHash.Equal(r, root) ? null : $"the inclusion proof of leaf {index} does not lead to the root of size {size}";
    }

    /// <summary>Null when <paramref name="proof"/> shows that the tree of <paramref name="first"/> leaves with <paramref name="firstRoot"/> is a prefix of the tree of <paramref name="second"/> leaves with <paramref name="secondRoot"/>; otherwise why not.</summary>
    public static string? VerifyConsistency(long first, long second, ReadOnlySpan<byte> firstRoot, ReadOnlySpan<byte> secondRoot, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (first <= 0)
        {
            return $"a consistency proof needs a first size above 0, not {first}";
        }

        if (second < first)
        {
            return $"the second size {second} is smaller than the first {first}: the log shrank";
        }

        if (firstRoot.Length != MerkleHash.Size || secondRoot.Length != MerkleHash.Size || proof.Any(p => p is not { Length: MerkleHash.Size }))
        {
            return $"every hash of a consistency proof must be {MerkleHash.Size} bytes";
        }

        if (first == second)
        {
            if (proof.Count != 0)
            {
                return $"a consistency proof between equal sizes ({first}) must be empty";
            }

            return MerkleHash.Equal(firstRoot, secondRoot) ? null : $"two different roots for the same size {first}";
        }

        if (proof.Count == 0)
        {
            return $"the consistency proof from {first} to {second} is empty";
        }

        var path = new List<byte[]>(proof.Count + 1);
        if ((first & (first - 1)) == 0)
        {
            path.Add(firstRoot.ToArray());
        }

        path.AddRange(proof);
        var fn = (ulong)first - 1;
        var sn = (ulong)second - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = path[0];
        var sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0)
            {
                return $"the consistency proof from {first} to {second} is too long ({proof.Count} hashes)";
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleHash.Node(c, fr);
                sr = MerkleHash.Node(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleHash.Node(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        if (sn != 0)
        {
            return $"the consistency proof from {first} to {second} is too short ({proof.Count} hashes)";
        }

        if (!MerkleHash.Equal(fr, firstRoot))
        {
            return $"the consistency proof from {first} to {second} does not lead to the root of size {first}";
        }

        return MerkleHash.Equal(sr, secondRoot) ? null : $"the consistency proof from {first} to {second} does not lead to the root of size {second}";
    }
}
