using System.Text;
using Federation.Transparency;

namespace Federation.Unit.Tests.Transparency;

/// <summary>
/// Fixed cases: the hasher and reference-tree vectors of transparency-dev/merkle (see
/// /work/shared/notes/transparency-log.md section 9) and the RFC 6962 section 2.1.3 seven-leaf
/// example, whose nodes are built by hand here from the leaf hashes.
/// </summary>
public sealed class MerkleVectorTests
{
    private static readonly byte[][] ReferenceLeaves =
    [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        Convert.FromHexString("5051525354555657"), Convert.FromHexString("606162636465666768696a6b6c6d6e6f"),
    ];

    private static readonly string[] ReferenceRoots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    private static byte[][] ReferenceLeafHashes => [.. ReferenceLeaves.Select(l => MerkleHash.Leaf(l))];

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    [Fact]
    public void Hasher_KnownInputs_MatchPublishedVectors()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hex(MerkleHash.Empty()));
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", Hex(MerkleHash.Leaf([])));
        Assert.Equal("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56", Hex(MerkleHash.Leaf(Encoding.ASCII.GetBytes("L123456"))));
    }

    [Fact]
    public void Root_ReferenceTree_MatchesPublishedRootsForEverySize()
    {
        var hashes = ReferenceLeafHashes;
        var range = new CompactRange();
        for (var size = 1; size <= 8; size++)
        {
            range.Append(hashes[size - 1]);
            Assert.Equal(ReferenceRoots[size - 1], Hex(MerkleTree.Root(hashes, size)));
            Assert.Equal(ReferenceRoots[size - 1], Hex(range.Root()));
        }

        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hex(MerkleTree.Root(hashes, 0)));
    }

    [Fact]
    public void InclusionProof_Index5Size8_MatchesPublishedPath()
    {
        var hashes = ReferenceLeafHashes;
        var proof = MerkleTree.InclusionProof(hashes, 5, 8);
        Assert.Equal(
            ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
            proof.Select(Hex));
        Assert.Equal("4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658", Hex(hashes[5]));
        Assert.Null(MerkleProofs.VerifyInclusion(5, 8, hashes[5], proof, Convert.FromHexString(ReferenceRoots[7])));
    }

    [Fact]
    public void ConsistencyProof_PublishedCases_MatchAndVerify()
    {
        var hashes = ReferenceLeafHashes;
        var six = MerkleTree.ConsistencyProof(hashes, 6, 8);
        Assert.Equal(
            ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
            six.Select(Hex));
        Assert.Null(MerkleProofs.VerifyConsistency(6, 8, Convert.FromHexString(ReferenceRoots[5]), Convert.FromHexString(ReferenceRoots[7]), six));

        var two = MerkleTree.ConsistencyProof(hashes, 2, 5);
        Assert.Equal(["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"], two.Select(Hex));
        Assert.Null(MerkleProofs.VerifyConsistency(2, 5, Convert.FromHexString(ReferenceRoots[1]), Convert.FromHexString(ReferenceRoots[4]), two));
    }

    [Fact]
    public void Proofs_RfcSevenLeafExample_MatchHandBuiltNodes()
    {
        // RFC 6962 section 2.1.3: a..f, j are the leaf hashes of d0..d6; g=(a,b), h=(c,d), i=(e,f), k=(g,h), l=(i,j), root=(k,l).
        var leaves = Enumerable.Range(0, 7).Select(n => MerkleHash.Leaf(Encoding.ASCII.GetBytes($"d{n}"))).ToArray();
        var (a, b, c, d, e, f, j) = (leaves[0], leaves[1], leaves[2], leaves[3], leaves[4], leaves[5], leaves[6]);
        var g = MerkleHash.Node(a, b);
        var h = MerkleHash.Node(c, d);
        var i = MerkleHash.Node(e, f);
        var k = MerkleHash.Node(g, h);
        var l = MerkleHash.Node(i, j);
        var root = MerkleHash.Node(k, l);

        Assert.Equal(Hex(root), Hex(MerkleTree.Root(leaves, 7)));
        Assert.Equal([b, h, l], MerkleTree.InclusionProof(leaves, 0, 7));
        Assert.Equal([c, g, l], MerkleTree.InclusionProof(leaves, 3, 7));
        Assert.Equal([f, j, k], MerkleTree.InclusionProof(leaves, 4, 7));
        Assert.Equal([i, k], MerkleTree.InclusionProof(leaves, 6, 7));
        Assert.Equal([c, d, g, l], MerkleTree.ConsistencyProof(leaves, 3, 7));
        Assert.Equal([l], MerkleTree.ConsistencyProof(leaves, 4, 7));
        Assert.Equal([i, j, k], MerkleTree.ConsistencyProof(leaves, 6, 7));
        Assert.Null(MerkleProofs.VerifyConsistency(3, 7, MerkleTree.Root(leaves, 3), root, [c, d, g, l]));
    }

    [Fact]
    public void Verify_EdgeCases_RefusedWithReason()
    {
        var hashes = ReferenceLeafHashes;
        var root8 = Convert.FromHexString(ReferenceRoots[7]);
        Assert.Contains("outside", MerkleProofs.VerifyInclusion(8, 8, hashes[0], [], root8), StringComparison.Ordinal);
        Assert.Contains("32 bytes", MerkleProofs.VerifyInclusion(0, 1, [], [], []), StringComparison.Ordinal);
        Assert.Contains("too short", MerkleProofs.VerifyInclusion(5, 8, hashes[5], [.. MerkleTree.InclusionProof(hashes, 5, 8).Take(2)], root8), StringComparison.Ordinal);
        Assert.Contains("above 0", MerkleProofs.VerifyConsistency(0, 8, root8, root8, []), StringComparison.Ordinal);
        Assert.Contains("shrank", MerkleProofs.VerifyConsistency(8, 6, root8, root8, []), StringComparison.Ordinal);
        Assert.Null(MerkleProofs.VerifyConsistency(8, 8, root8, root8, []));
        Assert.Contains("must be empty", MerkleProofs.VerifyConsistency(8, 8, root8, root8, [root8]), StringComparison.Ordinal);
        Assert.Contains("different roots", MerkleProofs.VerifyConsistency(8, 8, root8, hashes[0], []), StringComparison.Ordinal);
        Assert.Contains("empty", MerkleProofs.VerifyConsistency(6, 8, Convert.FromHexString(ReferenceRoots[5]), root8, []), StringComparison.Ordinal);
    }

    [Fact]
    public void DomainSeparation_TwoLeafRoot_IsNotTheLeafOfItsChildren()
    {
        var hashes = ReferenceLeafHashes;
        var forged = MerkleHash.Leaf([.. hashes[0], .. hashes[1]]);
        Assert.NotEqual(Hex(MerkleTree.Root(hashes, 2)), Hex(forged));
    }
}
