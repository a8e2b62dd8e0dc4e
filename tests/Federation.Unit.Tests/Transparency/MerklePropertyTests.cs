using CsCheck;
using Federation.Transparency;

namespace Federation.Unit.Tests.Transparency;

/// <summary>
/// Properties of random trees: every proof the generator makes verifies, the compact range agrees
/// with the recursive root, and any flipped bit, reordered or dropped leaf, or truncated tail fails.
/// </summary>
public sealed class MerklePropertyTests
{
    private static readonly Gen<byte[][]> Leaves =
        Gen.Byte.Array[0, 12].Array[1, 70].Select(entries => entries.Select(e => MerkleHash.Leaf(e)).ToArray());

    private static byte[] Flip(byte[] hash, int bit)
    {
        var copy = (byte[])hash.Clone();
        copy[bit / 8 % copy.Length] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    [Fact]
    public void InclusionProof_EveryLeafOfEveryPrefix_Verifies()
    {
        Leaves.Sample(leaves =>
        {
            for (var size = 1; size <= leaves.Length; size++)
            {
                var root = MerkleTree.Root(leaves, size);
                for (var index = 0; index < size; index++)
                {
                    var reason = MerkleProofs.VerifyInclusion(index, size, leaves[index], MerkleTree.InclusionProof(leaves, index, size), root);
                    Assert.True(reason is null, $"leaf {index} of {size}: {reason}");
                }
            }
        }, iter: 40);
    }

    [Fact]
    public void ConsistencyProof_EveryPairOfSizes_Verifies()
    {
        Leaves.Sample(leaves =>
        {
            for (var second = 1; second <= leaves.Length; second++)
            {
                var secondRoot = MerkleTree.Root(leaves, second);
                for (var first = 1; first <= second; first++)
                {
                    var reason = MerkleProofs.VerifyConsistency(first, second, MerkleTree.Root(leaves, first), secondRoot, MerkleTree.ConsistencyProof(leaves, first, second));
                    Assert.True(reason is null, $"{first} -> {second}: {reason}");
                }
            }
        }, iter: 40);
    }

    [Fact]
    public void CompactRange_AnyAppendSequence_EqualsRecursiveRoot()
    {
        Leaves.Sample(leaves =>
        {
            var range = new CompactRange();
            for (var size = 1; size <= leaves.Length; size++)
            {
                range.Append(leaves[size - 1]);
                Assert.Equal(MerkleTree.Root(leaves, size), range.Root());
                Assert.Equal(size, range.Size);
            }
        });
    }

    [Fact]
    public void InclusionProof_FlippedBitAnywhere_Fails()
    {
        Gen.Select(Leaves, Gen.Int[0, 255], Gen.Int[0, 1000]).Sample((leaves, bit, pick) =>
        {
            var size = leaves.Length;
            var index = pick % size;
            var root = MerkleTree.Root(leaves, size);
            var proof = MerkleTree.InclusionProof(leaves, index, size).ToArray();
            Assert.NotNull(MerkleProofs.VerifyInclusion(index, size, Flip(leaves[index], bit), proof, root));
            Assert.NotNull(MerkleProofs.VerifyInclusion(index, size, leaves[index], proof, Flip(root, bit)));
            if (proof.Length > 0)
            {
                var at = pick % proof.Length;
                proof[at] = Flip(proof[at], bit);
                Assert.NotNull(MerkleProofs.VerifyInclusion(index, size, leaves[index], proof, root));
            }
        });
    }

    [Fact]
    public void ConsistencyProof_FlippedBitAnywhere_Fails()
    {
        Gen.Select(Leaves.Where(l => l.Length >= 2), Gen.Int[0, 255], Gen.Int[0, 1000]).Sample((leaves, bit, pick) =>
        {
            var second = leaves.Length;
            var first = 1 + (pick % (second - 1));
            var firstRoot = MerkleTree.Root(leaves, first);
            var secondRoot = MerkleTree.Root(leaves, second);
            var proof = MerkleTree.ConsistencyProof(leaves, first, second).ToArray();
            Assert.NotNull(MerkleProofs.VerifyConsistency(first, second, Flip(firstRoot, bit), secondRoot, proof));
            Assert.NotNull(MerkleProofs.VerifyConsistency(first, second, firstRoot, Flip(secondRoot, bit), proof));
            var at = pick % proof.Length;
            proof[at] = Flip(proof[at], bit);
            Assert.NotNull(MerkleProofs.VerifyConsistency(first, second, firstRoot, secondRoot, proof));
        });
    }

    [Fact]
    public void TamperedLog_ReorderedOrDroppedLeaf_FailsAgainstEarlierHead()
    {
        Gen.Select(Leaves.Where(l => l.Length >= 2), Gen.Int[0, 1000], Gen.Bool).Sample((leaves, pick, drop) =>
        {
            if (leaves.Distinct(ByteArrayComparer.Instance).Count() < leaves.Length)
            {
                return; // equal leaves can swap places without changing anything
            }

            var size = leaves.Length;
            var signedRoot = MerkleTree.Root(leaves, size);
            var at = pick % (size - 1);
            var tampered = leaves.ToList();
            if (drop)
            {
                tampered.RemoveAt(at);
                tampered.Add(leaves[at]); // same size, same set of leaves, one moved to the end
            }
            else
            {
                (tampered[at], tampered[at + 1]) = (tampered[at + 1], tampered[at]);
            }

            Assert.NotEqual(signedRoot, MerkleTree.Root(tampered, size));

            // A row deleted outright: the first size-1 leaves left differ from those the log had.
            var dropped = leaves.Where((_, i) => i != at).ToArray();
            Assert.NotEqual(MerkleTree.Root(leaves, size - 1), MerkleTree.Root(dropped, size - 1));

            // An auditor holding the signed head of the original log: an inclusion proof from the
            // tampered log of the leaf now at 'at' fails against it.
            Assert.NotNull(MerkleProofs.VerifyInclusion(at, size, tampered[at], MerkleTree.InclusionProof(tampered, at, size), signedRoot));
        });
    }

    [Fact]
    public void TruncatedTail_NoProofFromTheEarlierLargerHead_Verifies()
    {
        Gen.Select(Leaves.Where(l => l.Length >= 3), Gen.Int[1, 1000]).Sample((leaves, pick) =>
        {
            var size = leaves.Length;
            var signedRoot = MerkleTree.Root(leaves, size);
            var truncated = 1 + (pick % (size - 1));
            var truncatedRoot = MerkleTree.Root(leaves, truncated);

            // The log now claims 'truncated' leaves; no proof leads from the signed head to it.
            Assert.NotNull(MerkleProofs.VerifyConsistency(size, truncated, signedRoot, truncatedRoot, []));

            // And appending other leaves to the truncated log gives a head inconsistent with the signed one.
            var rewritten = leaves.Take(truncated).Concat(leaves.Skip(truncated).Select(l => MerkleHash.Leaf(l))).ToArray();
            var rewrittenRoot = MerkleTree.Root(rewritten, size);
            Assert.NotEqual(signedRoot, rewrittenRoot);
            Assert.NotNull(MerkleProofs.VerifyConsistency(size, size, signedRoot, rewrittenRoot, []));
        });
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => BitConverter.ToInt32(obj, 0);
    }
}
