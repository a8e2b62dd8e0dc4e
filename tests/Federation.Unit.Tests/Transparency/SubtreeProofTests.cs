using System.Security.Cryptography.X509Certificates;
using CsCheck;
using Federation.Protocol;
using Federation.Transparency;

namespace Federation.Unit.Tests.Transparency;

/// <summary>
/// Proofs from stored subtree hashes: byte-identical to the O(n) computation of <see cref="MerkleTree"/>
/// for every size, index and pair of sizes, whether the subtrees were kept by the publisher, derived on
/// a miss, or wrong; and O(log n) hashes read on a log of 100,000 entries.
/// </summary>
public sealed class SubtreeProofTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 3, 0, 0, TimeSpan.Zero);
    private readonly X509Certificate2 _fr = NationCertificates.Create("FR");

    public void Dispose() => _fr.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(InMemoryTransparencyLog Log, byte[][] Leaves)> LogAsync(int entries, bool keepSubtrees)
    {
        var log = new InMemoryTransparencyLog();
        var range = new CompactRange();
        var completed = new List<SubtreeHash>();
        var leaves = new byte[entries][];
        for (var i = 0; i < entries; i++)
        {
            var row = await log.AppendAsync(TransparencyEntry.Create(TransparencyEntryKind.Admission, T0.AddMilliseconds(i), job: $"FR/job-{i}"), Ct);
            leaves[i] = row.LeafHash;
            range.Append(row.LeafHash, completed);
        }

        if (keepSubtrees)
        {
            await log.AddSubtreeHashesAsync(completed, Ct);
        }

        return (log, leaves);
    }

    private static int Log2Ceiling(long n) => (int)Math.Ceiling(Math.Log2(n));

    [Fact]
    public void Ranges_RandomTrees_HashToTheRecursiveProofs()
    {
        Gen.Int[1, 90].Select(n => Enumerable.Range(0, n).Select(i => MerkleHash.Leaf([(byte)i, (byte)(i >> 8), (byte)n])).ToArray()).Sample(leaves =>
        {
            var subtrees = new Dictionary<SubtreeId, byte[]>();
            for (var level = 0; 1 << level <= leaves.Length; level++)
            {
                for (var index = 0L; (index + 1) << level <= leaves.Length; index++)
                {
                    subtrees[new SubtreeId(level, index)] = MerkleTree.Root(leaves[(int)(index << level)..(int)((index + 1) << level)], 1L << level);
                }
            }

            for (var size = 1; size <= leaves.Length; size++)
            {
                for (var m = 0; m < size; m++)
                {
                    var fromRanges = MerkleRanges.Inclusion(m, size).Select(r => MerkleRanges.Hash(r.Start, r.End, subtrees));
                    Assert.Equal(MerkleTree.InclusionProof(leaves, m, size), fromRanges);
                    Assert.Equal(MerkleTree.ConsistencyProof(leaves, m + 1, size), MerkleRanges.Consistency(m + 1, size).Select(r => MerkleRanges.Hash(r.Start, r.End, subtrees)));
                }
            }
        }, iter: 25);
    }

    [Fact]
    public void Cover_AnyRange_AlignedPerfectSubtreesAtMostTwoPerLevel()
    {
        Gen.Select(Gen.Long[0, 1L << 40], Gen.Long[1, 1L << 40]).Sample((start, length) =>
        {
            var cover = MerkleRanges.Cover(start, start + length);
            Assert.Equal(start, cover[0].Start);
            Assert.Equal(start + length, cover[^1].End);
            Assert.All(cover.Zip(cover.Skip(1)), p => Assert.Equal(p.First.End, p.Second.Start));
            Assert.True(cover.Count <= (2 * 41) + 1, $"{cover.Count} subtrees cover {start}..{start + length}");
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Prover_EverySizeUpTo70_SameBytesAsTheLinearProofs(bool keptByPublisher)
    {
        var (log, leaves) = await LogAsync(70, keptByPublisher);
        var prover = new TransparencyProver(log);
        for (var size = 1; size <= leaves.Length; size++)
        {
            for (var m = 0; m < size; m++)
            {
                Assert.Equal(MerkleTree.InclusionProof(leaves, m, size), (await prover.InclusionAsync(m, size, Ct)).Proof);
                Assert.Equal(MerkleTree.ConsistencyProof(leaves, m + 1, size), await prover.ConsistencyAsync(m + 1, size, Ct));
            }
        }
    }

    [Fact]
    public async Task Prover_LogOf100000Entries_ReadsLogarithmicallyManyHashes()
    {
        const int N = 100_000;
        var (inner, leaves) = await LogAsync(N, keepSubtrees: true);
        var log = new CountingTransparencyLog(inner);
        var prover = new TransparencyProver(log);
        var bound = (2 * Log2Ceiling(N)) + 2;
        foreach (var (index, size) in new (long, long)[] { (0, N), (N - 1, N), (54_321, N), (65_535, 65_537), (77_777, 99_999), (3, 5) })
        {
            log.Reset();
            var (_, proof) = await prover.InclusionAsync(index, size, Ct);
            Assert.True(log.NodesRead <= bound, $"inclusion of {index} at {size} read {log.NodesRead} hashes (bound {bound})");
            Assert.Equal(0, log.FullReads);
            Assert.Equal(1, log.RowsRead);
            Assert.Null(MerkleProofs.VerifyInclusion(index, size, leaves[index], proof, MerkleTree.Root(leaves, size)));
        }

        foreach (var (first, second) in new (long, long)[] { (1, N), (N - 1, N), (65_536, N), (12_345, 98_765), (99_999, 100_000) })
        {
            log.Reset();
            var proof = await prover.ConsistencyAsync(first, second, Ct);
            Assert.True(log.NodesRead <= bound, $"consistency {first} -> {second} read {log.NodesRead} hashes (bound {bound})");
            Assert.Equal(0, log.FullReads);
            Assert.Equal(MerkleTree.ConsistencyProof(leaves, first, second), proof);
        }
    }

    [Fact]
    public async Task Prover_NoSubtreesKept_DerivesThemOnceThenReadsFew()
    {
        const int N = 5_000;
        var (inner, leaves) = await LogAsync(N, keepSubtrees: false);
        var log = new CountingTransparencyLog(inner);
        var prover = new TransparencyProver(log);

        Assert.Equal(MerkleTree.InclusionProof(leaves, 17, N), (await prover.InclusionAsync(17, N, Ct)).Proof);
        Assert.True(log.NodesRead >= N / 2, $"the first proof derived the subtrees from {log.NodesRead} hashes");

        log.Reset();
        Assert.Equal(MerkleTree.InclusionProof(leaves, 17, N), (await prover.InclusionAsync(17, N, Ct)).Proof);
        Assert.True(log.NodesRead <= (2 * Log2Ceiling(N)) + 2, $"the same proof again read {log.NodesRead} hashes");

        // Another leaf's path needs the subtrees beside leaf 17's path, derived now: a few per level.
        log.Reset();
        Assert.Equal(MerkleTree.InclusionProof(leaves, 4_000, N), (await prover.InclusionAsync(4_000, N, Ct)).Proof);
        Assert.True(log.NodesRead <= 4 * Log2Ceiling(N), $"a proof next to derived subtrees read {log.NodesRead} hashes");
    }

    [Fact]
    public async Task Prover_WrongSubtreeKeptAndHeadSigned_FallsBackToTheLeaves()
    {
        // Leaf 2's audit path holds the subtree of leaves 8 to 15, kept wrong; leaf 9's does not.
        var (inner, leaves) = await LogAsync(40, keepSubtrees: false);
        var wrong = new SubtreeHash(new SubtreeId(3, 1), MerkleHash.Leaf([1, 2, 3]));
        await inner.AddSubtreeHashesAsync([wrong], Ct);
        await inner.AddHeadAsync(TreeHeadSignature.Sign(new TreeHead("FR", 40, MerkleTree.Root(leaves, 40), T0.AddMinutes(1)), _fr), Ct);
        var log = new CountingTransparencyLog(inner);
        var prover = new TransparencyProver(log);

        Assert.Equal(MerkleTree.InclusionProof(leaves, 2, 40), (await prover.InclusionAsync(2, 40, Ct)).Proof);
        Assert.Equal(1, log.FullReads);

        log.Reset();
        Assert.Equal(MerkleTree.InclusionProof(leaves, 9, 40), (await prover.InclusionAsync(9, 40, Ct)).Proof);
        Assert.Equal(0, log.FullReads);
    }

    [Fact]
    public async Task Prover_SizeBeyondTheLog_Refused()
    {
        var (log, _) = await LogAsync(10, keepSubtrees: true);
        var prover = new TransparencyProver(log);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => prover.InclusionAsync(3, 11, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => prover.ConsistencyAsync(3, 11, Ct));
    }

    [Fact]
    public async Task AddSubtreeHashes_LeafOrShortHash_RefusedNamingTheElement()
    {
        var log = new InMemoryTransparencyLog();

        var leaf = await Assert.ThrowsAsync<ArgumentException>(() => log.AddSubtreeHashesAsync([new SubtreeHash(new SubtreeId(0, 0), new byte[32])], Ct));
        var shortHash = await Assert.ThrowsAsync<ArgumentException>(() => log.AddSubtreeHashesAsync([new SubtreeHash(new SubtreeId(1, 0), new byte[32]), new SubtreeHash(new SubtreeId(1, 1), new byte[3])], Ct));

        Assert.Contains("nodes[0]: is a leaf", leaf.Message, StringComparison.Ordinal);
        Assert.Contains("nodes[1]: hash must be 32 bytes", shortHash.Message, StringComparison.Ordinal);
    }
}
