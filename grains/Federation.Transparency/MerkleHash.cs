using System.Security.Cryptography;

namespace Federation.Transparency;

/// <summary>
/// RFC 6962 section 2.1 hashing with SHA-256 and domain separation: a leaf is
/// <c>SHA-256(0x00 || entry)</c>, an interior node <c>SHA-256(0x01 || left || right)</c>, the empty
/// tree <c>SHA-256()</c>. The different prefixes keep a two-leaf root from equalling a leaf whose
/// entry is the two child hashes (second-preimage resistance).
/// </summary>
public static class MerkleHash
{
    /// <summary>Bytes of every hash (SHA-256).</summary>
    public const int Size = 32;

    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    /// <summary>The root of the empty tree: SHA-256 of no bytes.</summary>
    public static byte[] Empty() => SHA256.HashData([]);

    /// <summary>The leaf hash of <paramref name="entry"/> (its canonical bytes).</summary>
    public static byte[] Leaf(ReadOnlySpan<byte> entry)
    {
        var input = new byte[entry.Length + 1];
        input[0] = LeafPrefix;
        entry.CopyTo(input.AsSpan(1));
        return SHA256.HashData(input);
    }

    /// <summary>The interior node over <paramref name="left"/> and <paramref name="right"/>.</summary>
    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != Size || right.Length != Size)
        {
            throw new ArgumentException($"A Merkle node joins two {Size}-byte hashes, not {left.Length} and {right.Length} bytes.");
        }

        Span<byte> input = stackalloc byte[1 + (2 * Size)];
        input[0] = NodePrefix;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + Size)..]);
        return SHA256.HashData(input);
    }

    /// <summary>True when both are hashes of <see cref="Size"/> bytes with equal content (constant time).</summary>
    public static bool Equal(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        a.Length == Size && b.Length == Size && CryptographicOperations.FixedTimeEquals(a, b);

    /// <summary>The largest power of two strictly below <paramref name="n"/> (n &gt; 1): the RFC 6962 split point.</summary>
    public static long SplitPoint(long n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 2L);
        var k = 1L;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }
}
