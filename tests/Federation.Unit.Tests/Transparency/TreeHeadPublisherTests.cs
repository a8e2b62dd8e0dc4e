using Federation.Contracts.Ids;
using Federation.Grains.Nations;
using Federation.Silo.Peering;
using Federation.Silo.Transparency;
using Federation.Transparency;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Unit.Tests.Transparency;

/// <summary>The head publisher signs a head only when the log grew, never goes back in time, and its heads are consistent.</summary>
public sealed class TreeHeadPublisherTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 3, 0, 0, TimeSpan.Zero));
    private readonly InMemoryTransparencyLog _log = new();
    private readonly TreeHeadSigner _signer = new(new NationIdentity(null), new LocalNation(TypedId.Parse<NationCode>("FR")));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _signer.Dispose();

    private TreeHeadPublisher Publisher() =>
        new(_log, _signer, _time, Microsoft.Extensions.Options.Options.Create(new TransparencyOptions()), NullLogger<TreeHeadPublisher>.Instance);

    private Task<LoggedEntry[]> AppendAsync(int n) =>
        Task.WhenAll(Enumerable.Range(0, n).Select(i => _log.AppendAsync(TransparencyEntry.Create(TransparencyEntryKind.Admission, _time.GetUtcNow(), job: $"FR/j{i}"), Ct)));

    [Fact]
    public async Task Publish_OnlyWhenTheLogGrew_HeadsSignedAndConsistent()
    {
        var publisher = Publisher();
        Assert.Null(await publisher.PublishAsync(Ct));

        await AppendAsync(5);
        var first = await publisher.PublishAsync(Ct);
        Assert.NotNull(first);
        Assert.Equal(5, first.Head.Size);
        Assert.Equal(MerkleTree.Root(await _log.LeafHashesAsync(5, Ct), 5), first.Head.Root);
        Assert.Null(TreeHeadSignature.Verify(first, [_signer.Pin]));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(await publisher.PublishAsync(Ct));

        await AppendAsync(8);
        var second = await publisher.PublishAsync(Ct);
        Assert.NotNull(second);
        Assert.Equal(13, second.Head.Size);
        Assert.True(second.Head.Time > first.Head.Time);
        var proof = MerkleTree.ConsistencyProof(await _log.LeafHashesAsync(13, Ct), 5, 13);
        Assert.Null(MerkleProofs.VerifyConsistency(5, 13, first.Head.Root, second.Head.Root, proof));
    }

    [Fact]
    public async Task Publish_ClockNotMoved_NextHeadStillLater()
    {
        var publisher = Publisher();
        await AppendAsync(1);
        var first = await publisher.PublishAsync(Ct);
        await AppendAsync(1);
        var second = await publisher.PublishAsync(Ct);
        Assert.True(second!.Head.Time > first!.Head.Time);
        Assert.Equal([1L, 2L], (await _log.HeadsAsync(0, 10, Ct)).Select(h => h.Head.Size));
    }

    [Fact]
    public async Task Timer_TickAfterGrowth_PublishesAHead()
    {
        using var publisher = Publisher();
        await AppendAsync(3);
        await publisher.StartAsync(Ct);

        // The loop starts on the thread pool (BackgroundService, .NET 10), so its timer may not exist
        // yet: move the fake clock one interval at a time until the tick's head is there, with a deadline.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await _log.LatestHeadAsync(Ct) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "no head published within 30 s of real time while the fake clock ticked every 5 s");
            _time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(20, Ct);
        }

        Assert.Equal(3, (await _log.LatestHeadAsync(Ct))!.Head.Size);
        await publisher.StopAsync(Ct);
    }

    [Fact]
    public async Task Publish_KeepsEveryPerfectSubtreeItsLeavesComplete()
    {
        var publisher = Publisher();
        await AppendAsync(5);
        await publisher.PublishAsync(Ct);
        await AppendAsync(8);
        await publisher.PublishAsync(Ct);

        var leaves = await _log.LeafHashesAsync(13, Ct);
        SubtreeId[] expected = [.. Enumerable.Range(1, 3).SelectMany(level => Enumerable.Range(0, 13 >> level).Select(i => new SubtreeId(level, i)))];
        var kept = await _log.SubtreeHashesAsync([.. expected, new SubtreeId(1, 6), new SubtreeId(4, 0)], Ct);

        Assert.Equal(10, kept.Count);
        Assert.All(expected, n => Assert.Equal(MerkleTree.Root([.. leaves.Skip((int)n.Start).Take(1 << n.Level)], 1 << n.Level), kept[n]));
    }
}
