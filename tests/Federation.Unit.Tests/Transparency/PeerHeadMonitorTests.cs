using Federation.Contracts.Ids;
using Federation.Grains.Nations;
using Federation.Silo.Peering;
using Federation.Silo.Transparency;
using Federation.Transparency;
using Federation.Transparency.Peers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Unit.Tests.Transparency;

/// <summary>
/// DE checks FR's signed heads: growth that only appends is kept; a rewritten, truncated or badly
/// signed log is flagged with both heads kept as evidence; an inclusion proof is checked against FR's pin.
/// </summary>
public sealed class PeerHeadMonitorTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 3, 0, 0, TimeSpan.Zero));
    private readonly TreeHeadSigner _fr = new(new NationIdentity(null), new LocalNation(TypedId.Parse<NationCode>("FR")));
    private readonly InMemoryPeerHeadStore _store = new();
    private readonly Source _source = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _fr.Dispose();

    private PeerHeadMonitor Monitor() => new(_source, _store, _time);

    private string[] Pins => [_fr.Pin];

    /// <summary>FR's log as DE reads it; a test swaps it to play a nation that rewrote its history.</summary>
    private sealed class Source : IPeerLogSource
    {
        public InMemoryTransparencyLog Log { get; set; } = new();

        public SignedTreeHead? Served { get; set; }

        public Task<SignedTreeHead?> LatestHeadAsync(string peer, CancellationToken cancellationToken = default) =>
            Served is { } served ? Task.FromResult<SignedTreeHead?>(served) : Log.LatestHeadAsync(cancellationToken);

        public Task<IReadOnlyList<byte[]>> ConsistencyAsync(string peer, long first, long second, CancellationToken cancellationToken = default) =>
            new TransparencyProver(Log).ConsistencyAsync(first, second, cancellationToken);

        public async Task<PeerInclusion> InclusionAsync(string peer, long index, long? size, CancellationToken cancellationToken = default)
        {
            var head = (await Log.LatestHeadAsync(cancellationToken))!;
            var (entry, proof) = await new TransparencyProver(Log).InclusionAsync(index, size ?? head.Head.Size, cancellationToken);
            return new PeerInclusion(size ?? head.Head.Size, entry, proof, head);
        }
    }

    // Appends n entries named from `first` on and signs a head over the log.
    private async Task<SignedTreeHead> GrowAsync(TreeHeadPublisher publisher, int first, int n)
    {
        for (var i = first; i < first + n; i++)
        {
            await _source.Log.AppendAsync(TransparencyEntry.Create(TransparencyEntryKind.Admission, _time.GetUtcNow(), job: $"DE/job-{i}", peer: "DE"), Ct);
        }

        _time.Advance(TimeSpan.FromSeconds(5));
        return (await publisher.PublishAsync(Ct))!;
    }

    private TreeHeadPublisher Publisher() =>
        new(_source.Log, _fr, _time, Microsoft.Extensions.Options.Options.Create(new TransparencyOptions()), NullLogger<TreeHeadPublisher>.Instance);

    [Fact]
    public async Task Check_LogOnlyGrows_EveryHeadKeptConsistent()
    {
        var publisher = Publisher();
        Assert.Equal(PeerHeadStatus.Unchecked, (await Monitor().CheckAsync("FR", Pins, Ct)).Status);

        await GrowAsync(publisher, 0, 3);
        Assert.Equal(PeerHeadStatus.Consistent, (await Monitor().CheckAsync("FR", Pins, Ct)).Status);
        var second = await GrowAsync(publisher, 3, 4);
        var check = await Monitor().CheckAsync("FR", Pins, Ct);
        Assert.Equal(PeerHeadStatus.Consistent, check.Status);
        Assert.Equal(3, check.Kept!.Head.Size);

        var state = Assert.Single(await _store.StatesAsync(Ct));
        Assert.Equal((PeerHeadStatus.Consistent, 2L, 7L), (state.Status, state.HeadsKept, state.Latest!.Head.Size));
        Assert.Equal(second.Head.Root, state.Latest.Head.Root);
        Assert.Null(state.Flag);
    }

    [Fact]
    public async Task Check_LogRewrittenAfterAHeadWasSeen_FlaggedInconsistentWithBothHeads()
    {
        var seen = await GrowAsync(Publisher(), 0, 5);
        await Monitor().CheckAsync("FR", Pins, Ct);

        // FR swaps its log for one whose entry 2 differs, and signs a larger head over it with its real key.
        _source.Log = new InMemoryTransparencyLog();
        var publisher = Publisher();
        await GrowAsync(publisher, 0, 2);
        await GrowAsync(publisher, 100, 1);
        var rewritten = await GrowAsync(publisher, 3, 4);

        var check = await Monitor().CheckAsync("FR", Pins, Ct);

        Assert.Equal(PeerHeadStatus.Inconsistent, check.Status);
        Assert.Contains("does not extend the head of size 5", check.Reason, StringComparison.Ordinal);
        var state = Assert.Single(await _store.StatesAsync(Ct));
        Assert.Equal(PeerHeadStatus.Inconsistent, state.Status);
        Assert.Equal(seen.Head.Root, state.Flag!.Kept!.Head.Root);
        Assert.Equal(rewritten.Head.Root, state.Flag.Offending.Head.Root);
        Assert.Equal(rewritten.Signature, state.Flag.Offending.Signature);
        Assert.Equal(5, state.Latest!.Head.Size);

        // Found again on the next check: still one piece of evidence, and the flag stays.
        await Monitor().CheckAsync("FR", Pins, Ct);
        Assert.Equal(PeerHeadStatus.Inconsistent, Assert.Single(await _store.StatesAsync(Ct)).Status);
    }

    [Fact]
    public async Task Check_SameSizeOtherRoot_FlaggedInconsistent()
    {
        await GrowAsync(Publisher(), 0, 4);
        await Monitor().CheckAsync("FR", Pins, Ct);
        _source.Log = new InMemoryTransparencyLog();
        await GrowAsync(Publisher(), 50, 4);

        var check = await Monitor().CheckAsync("FR", Pins, Ct);

        Assert.Equal(PeerHeadStatus.Inconsistent, check.Status);
        Assert.Contains("two signed heads of size 4 with different roots", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_HeadSmallerThanOneSeen_FlaggedTruncated()
    {
        await GrowAsync(Publisher(), 0, 6);
        await Monitor().CheckAsync("FR", Pins, Ct);
        _source.Log = new InMemoryTransparencyLog();
        await GrowAsync(Publisher(), 0, 4);

        var check = await Monitor().CheckAsync("FR", Pins, Ct);

        Assert.Equal(PeerHeadStatus.Truncated, check.Status);
        Assert.Contains("smaller than the head of size 6", check.Reason, StringComparison.Ordinal);
        Assert.Equal(6, Assert.Single(await _store.StatesAsync(Ct)).Flag!.Kept!.Head.Size);
    }

    [Fact]
    public async Task Check_HeadSignedByAKeyNotOnTheRoster_FlaggedBadSignatureNothingKept()
    {
        using var stranger = new TreeHeadSigner(new NationIdentity(null), new LocalNation(TypedId.Parse<NationCode>("FR")));
        await GrowAsync(Publisher(), 0, 2);
        _source.Served = stranger.Sign(2, (await _source.Log.LatestHeadAsync(Ct))!.Head.Root, _time.GetUtcNow());

        var check = await Monitor().CheckAsync("FR", Pins, Ct);

        Assert.Equal(PeerHeadStatus.BadSignature, check.Status);
        Assert.Contains("not FR's on the roster", check.Reason, StringComparison.Ordinal);
        var state = Assert.Single(await _store.StatesAsync(Ct));
        Assert.Null(state.Latest);
        Assert.Equal(0, state.HeadsKept);
    }

    [Fact]
    public async Task Check_HeadOfAnotherNation_FlaggedBadSignature()
    {
        using var de = new TreeHeadSigner(new NationIdentity(null), new LocalNation(TypedId.Parse<NationCode>("DE")));
        _source.Served = de.Sign(1, MerkleHash.Leaf([1]), _time.GetUtcNow());

        var check = await Monitor().CheckAsync("FR", [de.Pin], Ct);

        Assert.Equal(PeerHeadStatus.BadSignature, check.Status);
        Assert.Contains("names nation 'DE', not FR", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckInclusion_GenuineProof_Verified_TamperedOrWrongPin_Refused()
    {
        await GrowAsync(Publisher(), 0, 9);
        var answer = await _source.InclusionAsync("FR", 6, null, Ct);

        Assert.Null(PeerHeadChecker.CheckInclusion("FR", 6, answer, Pins));

        var edited = answer with { Entry = answer.Entry with { Bytes = [.. answer.Entry.Bytes.Select(b => b == (byte)'6' ? (byte)'7' : b)] } };
        Assert.NotNull(PeerHeadChecker.CheckInclusion("FR", 6, edited, Pins));
        Assert.Contains("served entry 6 for entry 5", PeerHeadChecker.CheckInclusion("FR", 5, answer, Pins), StringComparison.Ordinal);
        using var stranger = new TreeHeadSigner(new NationIdentity(null), new LocalNation(TypedId.Parse<NationCode>("FR")));
        Assert.Contains("not FR's on the roster", PeerHeadChecker.CheckInclusion("FR", 6, answer, [stranger.Pin]), StringComparison.Ordinal);
        Assert.Contains("no signed head", PeerHeadChecker.CheckInclusion("FR", 6, answer with { Head = null }, Pins), StringComparison.Ordinal);
    }
}
