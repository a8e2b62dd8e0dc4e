using Federation.Contracts.Ids;
using Federation.Grains.Nations;
using Federation.Silo.Peering;
using Federation.Silo.Transparency;
using Federation.Transparency;
using Federation.Transparency.Peers;
using Microsoft.Extensions.Time.Testing;

namespace Federation.Unit.Tests.Transparency;

/// <summary>
/// FR rotates its key: heads it signed with the old key before the old pin's end still verify against
/// the roster's retired pin; a head signed with it after that end is refused, and so is a larger head
/// dated back into the old key's validity after a newer head was seen.
/// </summary>
public sealed class RetiredPinHeadTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 3, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly TreeHeadSigner _old = new(new NationIdentity(null), new LocalNation(TypedId.Parse<NationCode>("FR")));
    private readonly TreeHeadSigner _new = new(new NationIdentity(null), new LocalNation(TypedId.Parse<NationCode>("FR")));
    private readonly InMemoryTransparencyLog _log = new();
    private readonly InMemoryPeerHeadStore _store = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The old pin is retired one hour after T0 (the end of the rotation's grace period).
    private static DateTimeOffset OldPinEnd => T0.AddHours(1);

    public void Dispose()
    {
        _old.Dispose();
        _new.Dispose();
    }

    private NationPins RotatedRoster => new([_new.Pin], [KeyValuePair.Create(_old.Pin, OldPinEnd)]);

    private async Task<byte[]> RootAsync(int size)
    {
        while (await _log.SizeAsync(Ct) < size)
        {
            await _log.AppendAsync(TransparencyEntry.Create(TransparencyEntryKind.Admission, _time.GetUtcNow(), job: $"DE/job-{await _log.SizeAsync(Ct)}"), Ct);
        }

        return MerkleTree.Root(await _log.LeafHashesAsync(size, Ct), size);
    }

    [Fact]
    public async Task Verify_OldKeyBeforeItsEnd_Accepted_AfterIt_RefusedNamingTheRetirement()
    {
        var before = _old.Sign(3, await RootAsync(3), OldPinEnd.AddMilliseconds(-1));
        var after = _old.Sign(3, await RootAsync(3), OldPinEnd);

        Assert.Null(TreeHeadSignature.Verify(before, RotatedRoster));
        Assert.Contains("not FR's on the roster", TreeHeadSignature.Verify(before, [_new.Pin]), StringComparison.Ordinal);
        var refused = TreeHeadSignature.Verify(after, RotatedRoster);
        Assert.Contains($"whose pin {_old.Pin} FR's roster retired on 2026-12-05T04:00:00.000Z, before it", refused, StringComparison.Ordinal);
        Assert.Null(TreeHeadSignature.Verify(_new.Sign(3, await RootAsync(3), OldPinEnd.AddDays(30)), RotatedRoster));
    }

    [Fact]
    public async Task Monitor_HeadsAcrossTheRotation_KeptConsistent_LateOldKeyHead_BadSignature()
    {
        var source = new ServedHead { Log = _log };
        var monitor = new PeerHeadMonitor(source, _store, _time);

        source.Head = _old.Sign(3, await RootAsync(3), T0.AddMinutes(10));
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(PeerHeadStatus.Consistent, (await monitor.CheckAsync("FR", RotatedRoster, Ct)).Status);

        source.Head = _new.Sign(5, await RootAsync(5), T0.AddHours(2));
        Assert.Equal(PeerHeadStatus.Consistent, (await monitor.CheckAsync("FR", RotatedRoster, Ct)).Status);

        source.Head = _old.Sign(8, await RootAsync(8), T0.AddHours(3));
        var late = await monitor.CheckAsync("FR", RotatedRoster, Ct);
        Assert.Equal(PeerHeadStatus.BadSignature, late.Status);
        Assert.Contains("retired on", late.Reason, StringComparison.Ordinal);
        Assert.Equal(5, (await _store.LatestAsync("FR", Ct))!.Head.Size);
    }

    [Fact]
    public async Task Monitor_LargerHeadDatedBackIntoTheOldKeysValidity_Inconsistent()
    {
        var source = new ServedHead { Log = _log };
        var monitor = new PeerHeadMonitor(source, _store, _time);
        source.Head = _new.Sign(4, await RootAsync(4), T0.AddHours(2));
        Assert.Equal(PeerHeadStatus.Consistent, (await monitor.CheckAsync("FR", RotatedRoster, Ct)).Status);

        source.Head = _old.Sign(6, await RootAsync(6), T0.AddMinutes(30));
        var check = await monitor.CheckAsync("FR", RotatedRoster, Ct);

        Assert.Equal(PeerHeadStatus.Inconsistent, check.Status);
        Assert.Contains("larger but older", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckInclusion_ProofAgainstAHeadSignedBeforeTheRotation_Verified()
    {
        var head = _old.Sign(6, await RootAsync(6), T0.AddMinutes(5));
        var (entry, proof) = await new TransparencyProver(_log).InclusionAsync(2, 6, Ct);
        var answer = new PeerInclusion(6, entry, proof, head);

        Assert.Null(PeerHeadChecker.CheckInclusion("FR", 2, answer, RotatedRoster));
        Assert.Equal([_new.Pin, _old.Pin], RotatedRoster.ValidAt(head.Head.Time));
        Assert.Equal([_new.Pin], RotatedRoster.ValidAt(OldPinEnd));
        var late = answer with { Head = _old.Sign(6, head.Head.Root, OldPinEnd.AddSeconds(1)) };
        Assert.Contains("retired on", PeerHeadChecker.CheckInclusion("FR", 2, late, RotatedRoster), StringComparison.Ordinal);
    }

    /// <summary>FR as DE reads it: the head a test serves, and consistency proofs from a log.</summary>
    private sealed class ServedHead : IPeerLogSource
    {
        public SignedTreeHead? Head { get; set; }

        public InMemoryTransparencyLog Log { get; set; } = new();

        public Task<SignedTreeHead?> LatestHeadAsync(string peer, CancellationToken cancellationToken = default) => Task.FromResult(Head);

        public Task<IReadOnlyList<byte[]>> ConsistencyAsync(string peer, long first, long second, CancellationToken cancellationToken = default) =>
            new TransparencyProver(Log).ConsistencyAsync(first, second, cancellationToken);

        public Task<PeerInclusion> InclusionAsync(string peer, long index, long? size, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("These tests check heads only.");
    }
}
