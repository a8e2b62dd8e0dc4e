using CsCheck;
using Federation.Learning.Aggregation;
using Federation.Learning.Quantisation;
using Federation.Learning.Round;

namespace Federation.Unit.Tests.Learning;

public sealed class SecureSumPropertyTests
{
    private static readonly string[] Codes = ["FR", "DE", "SE", "IT", "NL"];

    [Fact]
    public void SecureRound_RandomFloatUpdatesAndOptionalDropout_DecodesToThePlainWeightedSumWithinTheBound()
    {
        var quantisation = new QuantisationParameters(clipRange: 2, levelBits: 22);
        var rule = AggregationRule.FedAvg(maxSampleWeight: 100);
        var gen = Gen.Select(Gen.Int[3, 5], Gen.Double[-2, 2].Array[6].Array[5], Gen.Long[1, 100].Array[5], Gen.Bool, Gen.Int);
        gen.Sample((count, updates, samples, drop, seed) =>
        {
            var threshold = (count / 2) + 1;
            using var h = new SecAggHarness(Codes[..count], "FR", threshold, length: 7);
            var encoded = Enumerable.Range(0, count).ToDictionary(
                k => h.Nations[k], k => UpdateEncoder.Encode(updates[k], samples[k], rule, quantisation, RoundingMode.Stochastic, seed + k).Levels.ToArray());
            // Dropping one keeps two contributors besides FR only with four or more nations.
            var dropped = drop && count >= 4 ? new[] { h.Nations[count - 1] } : [];

            h.Advertise();
            h.ShareKeys();
            h.MaskInputs(encoded, dropped);
            Assert.Equal(RoundStage.Completed, h.Unmask(dropped).Stage);

            var contributors = Enumerable.Range(0, count).Where(k => !dropped.Contains(h.Nations[k])).ToList();
            var result = FederatedAverager.Average(h.Server.Outcome!.Sum.AsSpan(), contributors.Count, rule, quantisation);
            var expectedWeight = contributors.Sum(k => samples[k] / 100.0);
            var bound = quantisation.SumErrorBound(contributors.Count, RoundingMode.Stochastic);
            Assert.True(Math.Abs(result.TotalWeight - expectedWeight) <= bound);
            for (var i = 0; i < 6; i++)
            {
                var weightedSum = contributors.Sum(k => updates[k][i] * samples[k] / 100.0);
                Assert.True(Math.Abs((result.Update[i] * result.TotalWeight) - weightedSum) <= bound + 1e-9,
                    $"entry {i}: {result.Update[i] * result.TotalWeight} vs {weightedSum} (bound {bound})");
            }
        }, iter: 12, threads: 1);
    }
}
