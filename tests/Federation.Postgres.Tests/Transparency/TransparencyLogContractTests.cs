using Federation.Transparency;

namespace Federation.Postgres.Tests.Transparency;

/// <summary>
/// The semantics documented on <see cref="ITransparencyLog"/>, run against every implementation so
/// that the embedded mode and PostgreSQL answer alike. Each test starts from an empty log.
/// </summary>
public abstract class TransparencyLogContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    private ITransparencyLog? _log;

    /// <summary>The log under test, empty at the start of each test.</summary>
    protected ITransparencyLog Log => _log ?? throw new InvalidOperationException("InitializeAsync has not run.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates an empty log of the implementation under test.</summary>
    protected abstract ValueTask<ITransparencyLog> CreateEmptyLogAsync();

    public async ValueTask InitializeAsync() => _log = await CreateEmptyLogAsync();

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected static TransparencyEntry Admission(int i, string? peer = null) =>
        TransparencyEntry.Create(TransparencyEntryKind.Admission, T0.AddSeconds(i), job: $"FR/job-{i}", peer: peer, rule: "capacity", detail: [new("node", $"n{i % 3}")]);

    [Fact]
    public async Task Append_ManyAtOnce_ContiguousPositionsEachRowHashesItsBytes()
    {
        var rows = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Log.AppendAsync(Admission(i), Ct)));

        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), rows.Select(r => r.Index).Order());
        Assert.Equal(200, await Log.SizeAsync(Ct));
        var stored = await Log.ReadAsync(0, 1000, Ct);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), stored.Select(r => r.Index));
        Assert.All(stored, r =>
        {
            Assert.Equal(MerkleHash.Leaf(r.Bytes), r.LeafHash);
            Assert.Equal(r.Index, TransparencyEntryEncoding.Decode(r.Bytes).Index);
        });
    }

    [Fact]
    public async Task Read_ARange_ReturnsThoseRowsInOrder()
    {
        for (var i = 0; i < 10; i++)
        {
            await Log.AppendAsync(Admission(i), Ct);
        }

        Assert.Equal([4L, 5L, 6L], (await Log.ReadAsync(4, 3, Ct)).Select(r => r.Index));
        Assert.Empty(await Log.ReadAsync(10, 3, Ct));
        Assert.Equal(MerkleTree.Root([.. (await Log.ReadAsync(0, 10, Ct)).Select(r => r.LeafHash)], 10), MerkleTree.Root(await Log.LeafHashesAsync(10, Ct), 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Log.LeafHashesAsync(11, Ct));
    }

    [Fact]
    public async Task Query_ByJobPeerKindAndTime_MatchesInLogOrder()
    {
        for (var i = 0; i < 10; i++)
        {
            await Log.AppendAsync(Admission(i, peer: i % 2 == 0 ? "DE" : null), Ct);
        }

        await Log.AppendAsync(TransparencyEntry.Create(TransparencyEntryKind.Refusal, T0.AddSeconds(30), job: "FR/job-3", rule: "quota"), Ct);

        Assert.Equal([3L, 10L], (await Log.QueryAsync(new TransparencyQuery(Job: "FR/job-3"), Ct)).Select(r => r.Index));
        Assert.Equal([0L, 2L, 4L, 6L, 8L], (await Log.QueryAsync(new TransparencyQuery(Peer: "DE"), Ct)).Select(r => r.Index));
        Assert.Equal([10L], (await Log.QueryAsync(new TransparencyQuery(Kind: TransparencyEntryKind.Refusal), Ct)).Select(r => r.Index));
        Assert.Equal([2L, 3L, 4L], (await Log.QueryAsync(new TransparencyQuery(Since: T0.AddSeconds(2), Until: T0.AddSeconds(5)), Ct)).Select(r => r.Index));
        Assert.Equal([6L, 8L], (await Log.QueryAsync(new TransparencyQuery(Peer: "DE", From: 5, Limit: 2), Ct)).Select(r => r.Index));
        await Assert.ThrowsAsync<ArgumentException>(() => Log.QueryAsync(new TransparencyQuery(Limit: 0), Ct));
    }

    [Fact]
    public async Task Heads_KeptInOrder_BackwardsRefused()
    {
        Assert.Null(await Log.LatestHeadAsync(Ct));
        var one = Head(3, T0);
        var two = Head(5, T0.AddSeconds(5));
        await Log.AddHeadAsync(one, Ct);
        await Log.AddHeadAsync(two, Ct);

        Assert.Equal(5, (await Log.LatestHeadAsync(Ct))!.Head.Size);
        var heads = await Log.HeadsAsync(0, 10, Ct);
        Assert.Equal([3L, 5L], heads.Select(h => h.Head.Size));
        Assert.Equal(one.Head.Root, heads[0].Head.Root);
        Assert.Equal(one.Head.Time, heads[0].Head.Time);
        Assert.Equal(one.Signature, heads[0].Signature);
        Assert.Equal([5L], (await Log.HeadsAsync(4, 10, Ct)).Select(h => h.Head.Size));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Log.AddHeadAsync(Head(4, T0.AddSeconds(10)), Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Log.AddHeadAsync(Head(6, T0.AddSeconds(5)), Ct));
    }

    private static SignedTreeHead Head(long size, DateTimeOffset time) =>
        new(new TreeHead("FR", size, MerkleHash.Leaf([(byte)size]), time), "key", "signature");

    [Fact]
    public async Task SubtreeHashes_KeptOnceReadWithLeaves_ProofsMatchTheLinearOnes()
    {
        await Task.WhenAll(Enumerable.Range(0, 21).Select(i => Log.AppendAsync(Admission(i), Ct)));
        var leaves = await Log.LeafHashesAsync(21, Ct);
        var range = new CompactRange();
        var completed = new List<SubtreeHash>();
        foreach (var leaf in leaves)
        {
            range.Append(leaf, completed);
        }

        await Log.AddSubtreeHashesAsync(completed, Ct);
        await Log.AddSubtreeHashesAsync([new SubtreeHash(new SubtreeId(2, 0), new byte[32])], Ct);
        var read = await Log.SubtreeHashesAsync([new SubtreeId(0, 20), new SubtreeId(0, 21), new SubtreeId(2, 0), new SubtreeId(4, 0), new SubtreeId(4, 1)], Ct);

        Assert.Equal([new SubtreeId(0, 20), new SubtreeId(2, 0), new SubtreeId(4, 0)], read.Keys.OrderBy(k => k.Level).ThenBy(k => k.Index));
        Assert.Equal(leaves[20], read[new SubtreeId(0, 20)]);
        Assert.Equal(MerkleTree.Root([.. leaves.Take(4)], 4), read[new SubtreeId(2, 0)]);
        Assert.Equal(MerkleTree.Root([.. leaves.Take(16)], 16), read[new SubtreeId(4, 0)]);
        var prover = new TransparencyProver(Log);
        for (var size = 1; size <= 21; size++)
        {
            Assert.Equal(MerkleTree.InclusionProof(leaves, size / 2, size), (await prover.InclusionAsync(size / 2, size, Ct)).Proof);
            Assert.Equal(MerkleTree.ConsistencyProof(leaves, (size + 1) / 2, size), await prover.ConsistencyAsync((size + 1) / 2, size, Ct));
        }

        await Assert.ThrowsAsync<ArgumentException>(() => Log.AddSubtreeHashesAsync([new SubtreeHash(new SubtreeId(0, 1), leaves[1])], Ct));
    }
}
