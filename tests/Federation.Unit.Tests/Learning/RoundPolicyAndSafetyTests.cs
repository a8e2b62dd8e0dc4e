using Federation.Learning.Crypto;
using Federation.Learning.Protocol;
using Federation.Learning.Round;
using static Federation.Unit.Tests.Learning.SecAggHarness;

namespace Federation.Unit.Tests.Learning;

public sealed class RoundPolicyAndSafetyTests
{
    private const int Length = 32;

    [Fact]
    public void Round_ThreeNationsOneMissingUnderWait_WaitsThenCompletesWhenItReturns()
    {
        using var h = new SecAggHarness(["FR", "DE", "SE"], "FR", threshold: 2, Length, ShortfallPolicy.Wait);
        var inputs = h.RandomInputs(Length, seed: 1);
        h.Advertise();
        h.ShareKeys();

        var waiting = h.MaskInputs(inputs, N("DE"));

        Assert.Equal(RoundStage.CollectingMaskedInputs, waiting.Stage);
        Assert.True(waiting.Waiting);
        Assert.Contains("1 besides the aggregator FR", waiting.Reason, StringComparison.Ordinal);
        Assert.Null(h.Server.UnmaskingRequest);

        var late = h.Participants[N("DE")].MaskInput(h.Server.SharesFor(N("DE")), inputs[N("DE")]);
        Assert.True(h.Deliver(N("DE"), late).Accepted);
        Assert.Equal(RoundStage.Unmasking, h.Server.Advance().Stage);
        Assert.Equal(RoundStage.Completed, h.Unmask().Stage);
        Assert.Equal(PlainSum(inputs.Values, Length), h.Server.Outcome!.Sum.ToArray());
    }

    [Theory]
    [InlineData(ShortfallPolicy.Skip, RoundStage.Skipped)]
    [InlineData(ShortfallPolicy.Stop, RoundStage.Stopped)]
    public void Round_ThreeNationsOneMissing_EndsByPolicyWithoutUnmasking(ShortfallPolicy policy, RoundStage expected)
    {
        using var h = new SecAggHarness(["FR", "DE", "SE"], "FR", threshold: 2, Length, policy);
        var inputs = h.RandomInputs(Length, seed: 2);
        h.Advertise();
        h.ShareKeys();

        var status = h.MaskInputs(inputs, N("SE"));

        Assert.Equal(expected, status.Stage);
        Assert.True(status.IsFinal);
        Assert.Null(h.Server.UnmaskingRequest);
        Assert.Null(h.Server.Outcome);
    }

    [Fact]
    public void Round_TooFewAdvertsUnderStop_StopsAtAdvertising()
    {
        using var h = new SecAggHarness(["FR", "DE", "SE", "IT"], "IT", threshold: 3, Length, ShortfallPolicy.Stop);

        var status = h.Advertise(N("DE"), N("SE"));

        Assert.Equal(RoundStage.Stopped, status.Stage);
        Assert.Contains("AdvertisingKeys: 2 nations answered", status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Round_DroppedNationsLateInput_IsRefusedAndStaysHiddenBySelfMask()
    {
        using var h = new SecAggHarness(["FR", "DE", "SE", "IT"], "SE", threshold: 3, Length);
        var inputs = h.RandomInputs(Length, seed: 3);
        h.Advertise();
        h.ShareKeys();
        h.MaskInputs(inputs, N("IT"));
        h.Unmask(N("IT"));
        Assert.Equal(RoundStage.Completed, h.Server.Status.Stage);

        var late = h.Participants[N("IT")].MaskInput(h.Server.SharesFor(N("IT")), inputs[N("IT")]);
        Assert.Equal(RefusalReason.WrongStage, h.Deliver(N("IT"), late).Reason);

        // Even holding the late input and IT's rebuilt mask key, the aggregator cannot remove IT's self mask.
        var shares = h.Received.OfType<UnmaskingResponse>().Select(r => r.MaskKeyShares.Single(s => s.Owner == N("IT")).Share).ToList();
        var scalar = ShamirSecretSharing.Combine(shares, 32);
        var adverts = h.Server.Adverts.ToDictionary(a => a.Participant);
        using var advertised = KeyAdvertSigner.ImportP256(adverts[N("IT")].MaskKey, N("IT"), "MaskKey");
        using var itKey = Masks.ImportPrivate(scalar, advertised, N("IT"));
        var stripped = late.Values.ToArray();
        foreach (var peer in h.Nations.Where(n => n != N("IT")))
        {
            using var peerKey = KeyAdvertSigner.ImportP256(adverts[peer].MaskKey, peer, "MaskKey");
            Masks.Apply(stripped, Masks.Pairwise(itKey, peerKey.PublicKey, h.Round, N("IT"), peer, Length), -Masks.Sign(N("IT"), peer));
        }

        var close = stripped.Zip(inputs[N("IT")], (r, x) => Math.Min(unchecked(r - x), unchecked(x - r))).Count(d => d < 1u << 24);
        Assert.True(close < 4, $"with pairwise masks removed, IT's input is within 2^24 of its update in {close} entries");
    }

    [Fact]
    public void Participant_SecondDifferentUnmaskingRequest_IsRefusedAsUnsafe()
    {
        using var h = new SecAggHarness(["FR", "DE", "SE", "IT"], "SE", threshold: 3, Length);
        var inputs = h.RandomInputs(Length, seed: 4);
        h.Advertise();
        h.ShareKeys();
        h.MaskInputs(inputs);
        var honest = h.Server.UnmaskingRequest!;
        var fr = h.Participants[N("FR")];
        Assert.Same(fr.Unmask(honest), fr.Unmask(honest));

        var claimsDeDropped = new UnmaskingRequest(h.Round, [N("FR"), N("IT"), N("SE")], [N("DE")]);
        var e = Assert.Throws<RoundMessageRefusedException>(() => fr.Unmask(claimsDeDropped));

        Assert.Equal(RefusalReason.Unsafe, e.Reason);
        Assert.Contains("reveal both secrets", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Participant_RequestNamingItselfDroppedOrTooFewSurvivors_IsRefused()
    {
        using var h = new SecAggHarness(["FR", "DE", "SE", "IT"], "SE", threshold: 3, Length);
        var inputs = h.RandomInputs(Length, seed: 5);
        h.Advertise();
        h.ShareKeys();
        h.MaskInputs(inputs);

        var selfDropped = Assert.Throws<RoundMessageRefusedException>(() =>
            h.Participants[N("FR")].Unmask(new UnmaskingRequest(h.Round, [N("DE"), N("IT"), N("SE")], [N("FR")])));
        var tooFew = Assert.Throws<RoundMessageRefusedException>(() =>
            h.Participants[N("DE")].Unmask(new UnmaskingRequest(h.Round, [N("DE"), N("SE")], [N("FR"), N("IT")])));
        var overlapping = Assert.Throws<RoundMessageRefusedException>(() =>
            h.Participants[N("IT")].Unmask(new UnmaskingRequest(h.Round, [N("DE"), N("FR"), N("IT"), N("SE")], [N("FR")])));

        Assert.Contains("lists FR as dropped", selfDropped.Message, StringComparison.Ordinal);
        Assert.Contains("2 survivors; the threshold is 3", tooFew.Message, StringComparison.Ordinal);
        Assert.Contains("none in both", overlapping.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Participant_RelayedAdvertForgedForAnotherNation_IsRefusedBeforeSharing()
    {
        using var h = new SecAggHarness(["FR", "DE", "SE"], "FR", threshold: 2, Length);
        var adverts = h.Nations.Select(n => h.Participants[n].Advertise()).ToList();
        var de = adverts.Single(a => a.Participant == N("DE"));
        var swapped = de with { MaskKey = adverts.Single(a => a.Participant == N("SE")).MaskKey };
        var relayed = adverts.Select(a => a.Participant == N("DE") ? swapped : a).ToList();

        var e = Assert.Throws<RoundMessageRefusedException>(() => h.Participants[N("FR")].ShareKeys(relayed));

        Assert.Equal(RefusalReason.BadSignature, e.Reason);
    }

    [Fact]
    public void Configuration_ThresholdNotAboveHalf_IsRefusedNamingThreshold()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SecAggHarness(["FR", "DE", "SE", "IT"], "FR", threshold: 2, Length));
        Assert.Contains("RoundConfiguration.Threshold", e.Message, StringComparison.Ordinal);

        var few = Assert.Throws<ArgumentException>(() => new SecAggHarness(["FR", "DE"], "FR", threshold: 2, Length));
        Assert.Contains("at least 2 nations besides the aggregator FR", few.Message, StringComparison.Ordinal);
    }
}
