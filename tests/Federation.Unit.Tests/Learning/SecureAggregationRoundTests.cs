using Federation.Learning.Protocol;
using Federation.Learning.Round;
using static Federation.Unit.Tests.Learning.SecAggHarness;

namespace Federation.Unit.Tests.Learning;

public sealed class SecureAggregationRoundTests
{
    private const int Length = 64;

    private static readonly string[] FiveNations = ["FR", "DE", "SE", "IT", "NL"];

    [Theory]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    public void Round_AllNationsContribute_SumEqualsPlainSum(int count, int threshold)
    {
        using var h = new SecAggHarness([.. FiveNations.Take(count)], "FR", threshold, Length);
        var inputs = h.RandomInputs(Length, seed: count);

        Assert.Equal(RoundStage.SharingKeys, h.Advertise().Stage);
        Assert.Equal(RoundStage.CollectingMaskedInputs, h.ShareKeys().Stage);
        Assert.Equal(RoundStage.Unmasking, h.MaskInputs(inputs).Stage);
        Assert.Equal(RoundStage.Completed, h.Unmask().Stage);

        Assert.Equal(PlainSum(inputs.Values, Length), h.Server.Outcome!.Sum.ToArray());
        Assert.Equal(count, h.Server.Outcome.Contributors.Length);
        Assert.Empty(h.Server.Outcome.Dropped);
    }

    [Fact]
    public void Round_OneNationDropsAfterSharingKeys_SumOfSurvivorsIsRecoveredFromShares()
    {
        using var h = new SecAggHarness(["FR", "DE", "SE", "IT"], "SE", threshold: 3, Length);
        var inputs = h.RandomInputs(Length, seed: 7);
        h.Advertise();
        h.ShareKeys();

        var status = h.MaskInputs(inputs, N("DE"));

        Assert.Equal(RoundStage.Unmasking, status.Stage);
        Assert.Equal([N("DE")], h.Server.UnmaskingRequest!.Dropped);
        Assert.Equal(RoundStage.Completed, h.Unmask(N("DE")).Stage);
        Assert.Equal(PlainSum(inputs.Where(p => p.Key != N("DE")).Select(p => p.Value), Length), h.Server.Outcome!.Sum.ToArray());
        Assert.Equal([N("DE")], h.Server.Outcome.Dropped);
    }

    [Fact]
    public void Round_FewerSurvivorsThanThresholdAnswerUnmasking_FailsNamingTheThreshold()
    {
        using var h = new SecAggHarness(["FR", "DE", "SE", "IT"], "SE", threshold: 3, Length);
        var inputs = h.RandomInputs(Length, seed: 8);
        h.Advertise();
        h.ShareKeys();
        h.MaskInputs(inputs, N("DE"));

        var status = h.Unmask(N("DE"), N("IT"));

        Assert.Equal(RoundStage.Failed, status.Stage);
        Assert.Contains("only 2 of the 3 survivors answered", status.Reason, StringComparison.Ordinal);
        Assert.Contains("threshold 3", status.Reason, StringComparison.Ordinal);
        Assert.Null(h.Server.Outcome);
    }

    [Fact]
    public void Round_WithDropout_AggregatorNeverReceivesAnUnmaskedUpdate()
    {
        using var h = new SecAggHarness(["FR", "DE", "SE", "IT"], "SE", threshold: 3, Length);
        var inputs = h.RandomInputs(Length, seed: 9);
        h.Advertise();
        h.ShareKeys();
        h.MaskInputs(inputs, N("IT"));
        h.Unmask(N("IT"));
        Assert.Equal(RoundStage.Completed, h.Server.Status.Stage);

        var vectors = h.Received.OfType<MaskedInput>().Select(m => m.Values.ToArray()).ToList();
        Assert.Equal(3, vectors.Count);
        foreach (var (nation, update) in inputs.Where(p => p.Key != h.Aggregator))
        {
            foreach (var received in vectors)
            {
                // An unmasked update would equal the input; a masked one is uniform mod 2^32, so an entry lies within
                // 2^16 of the input with probability 2^-15 (4 of 64 entries: about 1e-13 per pair, never by chance).
                var close = received.Zip(update, (r, x) => Math.Min(unchecked(r - x), unchecked(x - r))).Count(d => d < 1u << 16);
                Assert.True(close < 4, $"a masked input lies within 2^16 of {nation}'s update in {close} of {Length} entries");
            }
        }

        // Unmasking released self-mask seeds only for survivors and the mask key only for the dropped nation.
        foreach (var response in h.Received.OfType<UnmaskingResponse>())
        {
            Assert.DoesNotContain(response.SelfMaskShares, s => s.Owner == N("IT"));
            Assert.All(response.MaskKeyShares, s => Assert.Equal(N("IT"), s.Owner));
        }

        Assert.All(h.Received, m => Assert.IsNotType<uint[]>(m));
        Assert.Equal(h.Received.Count, h.Server.Accepted.Count);
    }

    [Fact]
    public void Round_MessagesFromOutsidersOtherRoundsOrReplayed_AreRefusedWithTheReason()
    {
        using var h = new SecAggHarness(["FR", "DE", "SE"], "FR", threshold: 2, Length);
        using var other = new SecAggHarness(["FR", "DE", "SE", "PL"], "FR", threshold: 3, Length, round: 2);
        var advert = h.Participants[N("DE")].Advertise();

        Assert.True(h.Server.Receive(N("DE"), advert).Accepted);
        var replay = h.Server.Receive(N("DE"), advert);
        Assert.Equal(RefusalReason.Duplicate, replay.Reason);

        var outsider = h.Server.Receive(N("PL"), other.Participants[N("PL")].Advertise());
        Assert.Equal(RefusalReason.NotInRound, outsider.Reason);
        Assert.Contains("PL is not a participant", outsider.Detail, StringComparison.Ordinal);

        var oldRound = h.Server.Receive(N("SE"), other.Participants[N("SE")].Advertise());
        Assert.Equal(RefusalReason.WrongRound, oldRound.Reason);
        Assert.Contains("round 2, not 3", oldRound.Detail, StringComparison.Ordinal);

        var impostor = h.Server.Receive(N("SE"), h.Participants[N("FR")].Advertise());
        Assert.Equal(RefusalReason.SenderMismatch, impostor.Reason);

        var early = h.Server.Receive(N("FR"), new MaskedInput(h.Round, N("FR"), [.. new uint[Length]]));
        Assert.Equal(RefusalReason.WrongStage, early.Reason);
        Assert.Single(h.Server.Accepted);
    }

    [Fact]
    public void Round_AdvertSignedWithAnotherKey_IsRefusedAsBadSignature()
    {
        using var h = new SecAggHarness(["FR", "DE", "SE"], "FR", threshold: 2, Length);
        using var forger = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var genuine = h.Participants[N("DE")].Advertise();
        var forged = KeyAdvertSigner.Sign(h.Round, N("DE"), genuine.EncryptionKey.AsSpan(), genuine.MaskKey.AsSpan(), genuine.SelfMaskCommitment.AsSpan(), forger);

        var verdict = h.Server.Receive(N("DE"), forged);

        Assert.Equal(RefusalReason.BadSignature, verdict.Reason);
        Assert.Contains("Signature does not verify under DE's federation key", verdict.Detail, StringComparison.Ordinal);
        Assert.True(h.Server.Receive(N("DE"), genuine).Accepted);
    }

    [Fact]
    public void Round_MaskedInputOfWrongLength_IsRefusedNamingValues()
    {
        using var h = new SecAggHarness(["FR", "DE", "SE"], "FR", threshold: 2, Length);
        h.Advertise();
        h.ShareKeys();

        var verdict = h.Server.Receive(N("DE"), new MaskedInput(h.Round, N("DE"), [1, 2, 3]));

        Assert.Equal(RefusalReason.Malformed, verdict.Reason);
        Assert.Contains($"Values must have {Length} entries, not 3", verdict.Detail, StringComparison.Ordinal);
    }
}
