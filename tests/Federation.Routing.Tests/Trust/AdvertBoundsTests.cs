using Federation.Contracts.Peers;
using Federation.Routing.Trust;
using static Federation.Routing.Tests.RouterFixtures;

namespace Federation.Routing.Tests.Trust;

/// <summary>The bounds on an advert's time, epoch and sequence, on a fake clock (every instant is an argument).</summary>
public sealed class AdvertBoundsTests
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private static CapabilityAdvert From(long epoch, long sequence, DateTimeOffset issuedAt) =>
        Advert(Nation("DE"), Capacity(H100, 4, 4)) with { SenderEpoch = epoch, Sequence = sequence, IssuedAt = issuedAt };

    [Fact]
    public void CheckIssuedAt_FarFuture_RefusedNamingTheWindow()
    {
        var reason = AdvertBounds.CheckIssuedAt(new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero), Now, Skew);

        Assert.NotNull(reason);
        Assert.Contains("within 120 s of the receiver's clock (2025-06-01T12:00:00Z)", reason, StringComparison.Ordinal);
        Assert.Contains("2099-01-01T00:00:00Z", reason, StringComparison.Ordinal);
        Assert.Contains("ahead of", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckIssuedAt_FarPast_RefusedAsBehind()
    {
        var reason = AdvertBounds.CheckIssuedAt(Now - TimeSpan.FromMinutes(3), Now, Skew);

        Assert.NotNull(reason);
        Assert.Contains("180 s behind", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(119)]
    [InlineData(-120)]
    [InlineData(120)]
    public void CheckIssuedAt_WithinSkew_Accepted(int offsetSeconds) =>
        Assert.Null(AdvertBounds.CheckIssuedAt(Now.AddSeconds(offsetSeconds), Now, Skew));

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void CheckSenderEpoch_NotPositive_Refused(long epoch) =>
        Assert.Contains("1 or more", AdvertBounds.CheckSenderEpoch(epoch), StringComparison.Ordinal);

    [Fact]
    public void Supersedes_NoLastAdvert_Replaces() =>
        Assert.True(AdvertBounds.Supersedes(From(10, 1, Now), null, null, Now, Interval).Replaces);

    [Fact]
    public void Supersedes_HigherSequenceSameEpoch_Replaces() =>
        Assert.True(AdvertBounds.Supersedes(From(10, 6, Now), From(10, 5, Now), Now, Now, Interval).Replaces);

    [Fact]
    public void Supersedes_SameOrLowerSequenceSameEpoch_IgnoredWithReason()
    {
        var (replaces, reason) = AdvertBounds.Supersedes(From(10, 5, Now), From(10, 5, Now), Now.AddSeconds(-1), Now, Interval);

        Assert.False(replaces);
        Assert.Equal("sequence 5 is not after 5 in sender epoch 10", reason);
    }

    [Fact]
    public void Supersedes_RestartWithNewEpochAndResetSequence_Replaces()
    {
        var (replaces, reason) = AdvertBounds.Supersedes(From(11, 1, Now), From(10, 9_000, Now), Now, Now, Interval);

        Assert.True(replaces);
        Assert.Contains("new sender epoch 11", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Supersedes_OlderEpochWithinResync_Ignored()
    {
        var (replaces, reason) = AdvertBounds.Supersedes(From(9, 100, Now), From(10, 1, Now), Now.AddSeconds(-5), Now, Interval);

        Assert.False(replaces);
        Assert.Contains("older than 10", reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// The freeze of issue 13 replayed on a fake clock: one advert with a huge epoch and sequence arrives,
    /// the sender's genuine adverts (every interval) are ignored for less than one interval, then take over,
    /// so the peer never misses the three intervals that would make it unreachable.
    /// </summary>
    [Fact]
    public void Supersedes_HugeEpochAndSequenceThenGenuineAdverts_GenuineTakesOverWithinOneInterval()
    {
        var now = Now;
        var bogus = From(long.MaxValue, long.MaxValue, now);
        var last = bogus;
        var lastAt = now;
        var acceptedAt = new List<DateTimeOffset>();
        for (var tick = 1; tick <= 6; tick++)
        {
            now = Now + (Interval * tick / 2);
            var genuine = From(10, tick, now);
            var (replaces, _) = AdvertBounds.Supersedes(genuine, last, lastAt, now, Interval);
            if (replaces)
            {
                last = genuine;
                lastAt = now;
                acceptedAt.Add(now);
            }
        }

        Assert.Equal(Now + Interval, acceptedAt[0]);
        Assert.Equal(5, acceptedAt.Count);
        Assert.Equal(6, last.Sequence);
    }
}
