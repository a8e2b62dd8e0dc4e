using System.Numerics;

namespace Federation.Transparency;

/// <summary>
/// Which leaf ranges an RFC 6962 proof is made of, without hashing: the recursions of
/// <see cref="MerkleTree"/> over positions only. Every range is a node of the tree of the proof's
/// size, so it is either a perfect aligned subtree or sits on the tree's right edge; either way it is
/// covered by at most one <see cref="SubtreeId"/> per level, and its hash is those subtrees' hashes
/// folded from the right (as <see cref="CompactRange"/> does). A proof therefore needs O(log n)
/// stored hashes, not the n leaves.
/// </summary>
public static class MerkleRanges
{
    /// <summary>The ranges whose hashes form the inclusion proof of leaf <paramref name="index"/> in the tree of <paramref name="size"/> leaves, leaf to root.</summary>
    public static IReadOnlyList<(long Start, long End)> Inclusion(long index, long size)
    {
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"An inclusion proof needs 0 <= index < size ({size}).");
        }

        var ranges = new List<(long, long)>();
        Path(index, 0, size, ranges);
        return ranges;
    }

    /// <summary>The ranges whose hashes form the consistency proof from <paramref name="first"/> to <paramref name="second"/> leaves (none when equal).</summary>
    public static IReadOnlyList<(long Start, long End)> Consistency(long first, long second)
    {
        if (first <= 0 || first > second)
        {
            throw new ArgumentOutOfRangeException(nameof(first), first, $"A consistency proof needs 0 < first <= second ({second}).");
        }

        var ranges = new List<(long, long)>();
        if (first < second)
        {
            SubProof(first, 0, second, true, ranges);
        }

        return ranges;
    }

    /// <summary>The perfect aligned subtrees that make up the leaves from <paramref name="start"/> to <paramref name="end"/>, left to right, each as large as alignment allows.</summary>
    public static IReadOnlyList<SubtreeId> Cover(long start, long end)
    {
        if (start < 0 || end <= start)
        {
            throw new ArgumentOutOfRangeException(nameof(end), end, $"A range needs 0 <= start ({start}) < end.");
        }

        var cover = new List<SubtreeId>();
        while (start < end)
        {
            var level = start == 0 ? SubtreeId.MaxLevel : BitOperations.TrailingZeroCount(start);
            while (level > 0 && end - start < 1L << level)
            {
                level--;
            }

            cover.Add(new SubtreeId(level, start >> level));
            start += 1L << level;
        }

        return cover;
    }

    /// <summary>The Merkle Tree Hash of a range that is a node of an RFC 6962 tree, from the hashes of its <see cref="Cover"/>.</summary>
    /// <exception cref="KeyNotFoundException">A subtree of the cover is missing from <paramref name="hashes"/>.</exception>
    public static byte[] Hash(long start, long end, IReadOnlyDictionary<SubtreeId, byte[]> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var cover = Cover(start, end);
        var hash = hashes[cover[^1]];
        for (var i = cover.Count - 2; i >= 0; i--)
        {
            hash = MerkleHash.Node(hashes[cover[i]], hash);
        }

        return hash;
    }

    private static void Path(long m, long start, long end, List<(long, long)> ranges)
    {
        var n = end - start;
        if (n == 1)
        {
            return;
        }

        var k = MerkleHash.SplitPoint(n);
        if (m < k)
        {
            Path(m, start, start + k, ranges);
            ranges.Add((start + k, end));
        }
        else
        {
            Path(m - k, start + k, end, ranges);
            ranges.Add((start, start + k));
        }
    }

    private static void SubProof(long m, long start, long end, bool known, List<(long, long)> ranges)
    {
        var n = end - start;
        if (m == n)
        {
            if (!known)
            {
                ranges.Add((start, end));
            }

            return;
        }

        var k = MerkleHash.SplitPoint(n);
        if (m <= k)
        {
            SubProof(m, start, start + k, known, ranges);
            ranges.Add((start + k, end));
        }
        else
        {
            SubProof(m - k, start + k, end, false, ranges);
            ranges.Add((start, start + k));
        }
    }
}
