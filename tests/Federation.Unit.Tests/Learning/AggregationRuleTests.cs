using Federation.Learning.Aggregation;
using Federation.Learning.Quantisation;

namespace Federation.Unit.Tests.Learning;

public sealed class AggregationRuleTests
{
    private static readonly QuantisationParameters Quantisation = new(clipRange: 4, levelBits: 22);

    [Fact]
    public void FedAvg_SecureSumOfEncodedUpdates_IsTheSampleWeightedMean()
    {
        var rule = AggregationRule.FedAvg(maxSampleWeight: 1000);
        double[][] updates = [[0.5, -1, 2], [1.5, 0.25, -2], [-0.5, 3, 0]];
        long[] samples = [100, 300, 600];
        var sum = new uint[4];
        for (var k = 0; k < 3; k++)
        {
            Quantiser.AddInto(sum, UpdateEncoder.Encode(updates[k], samples[k], rule, Quantisation, RoundingMode.Nearest).Levels.AsSpan());
        }

        var result = FederatedAverager.Average(sum, 3, rule, Quantisation);

        Assert.Null(result.Budget);
        Assert.Equal(1.0, result.TotalWeight, 1e-5);
        var bound = Quantisation.SumErrorBound(3, RoundingMode.Nearest) * 2 / result.TotalWeight;
        for (var i = 0; i < 3; i++)
        {
            var expected = Enumerable.Range(0, 3).Sum(k => updates[k][i] * samples[k]) / samples.Sum();
            Assert.True(Math.Abs(result.Update[i] - expected) <= bound, $"entry {i}: {result.Update[i]} vs {expected} (bound {bound})");
        }
    }

    [Fact]
    public void Encode_WithPrivacy_ClipsToTheNormAndWeighsEveryNationTheSame()
    {
        var rule = new AggregationRule(AggregationAlgorithm.FedAvg, 0, 1000, new DifferentialPrivacySettings(clipNorm: 1, noiseMultiplier: 1, delta: 1e-5));

        var encoded = UpdateEncoder.Encode([3, 4], sampleCount: 10, rule, Quantisation, RoundingMode.Nearest);
        var decoded = Quantiser.DequantiseSum(encoded.Levels.AsSpan(), 1, Quantisation);

        Assert.True(encoded.NormClipped);
        Assert.Equal(1.0, encoded.Weight);
        Assert.Equal(0.6, decoded[0], 1e-5);
        Assert.Equal(0.8, decoded[1], 1e-5);
    }

    [Fact]
    public void Average_WithPrivacy_AddsNoiseOfZTimesCAndReportsTheBudget()
    {
        var privacy = new DifferentialPrivacySettings(clipNorm: 0.5, noiseMultiplier: 2, delta: 1e-5);
        var rule = new AggregationRule(AggregationAlgorithm.FedAvg, 0, 1000, privacy);
        var zero = UpdateEncoder.Encode(new double[4000], 1, rule, Quantisation, RoundingMode.Nearest).Levels.ToArray();
        var sum = new uint[zero.Length];
        Quantiser.AddInto(sum, zero);
        Quantiser.AddInto(sum, zero);

        var result = FederatedAverager.Average(sum, 2, rule, Quantisation, noisyRoundsBefore: 4, new SeededNoise(3));

        var std = Math.Sqrt(result.Update.Sum(x => x * x) / result.Update.Length) * result.TotalWeight;
        Assert.InRange(std, 0.95, 1.05); // z·C = 1
        Assert.Equal(2, result.TotalWeight);
        Assert.Equal(PrivacyAccountant.Spent(privacy, 5), result.Budget);
        Assert.Equal(5, result.Budget!.Rounds);
    }

    [Fact]
    public void Accountant_ClosedForm_IsTheMinimumOverRenyiOrders()
    {
        var privacy = new DifferentialPrivacySettings(clipNorm: 1, noiseMultiplier: 1.1, delta: 1e-5);

        var budget = PrivacyAccountant.Spent(privacy, 8);
        var grid = Enumerable.Range(1, 20_000).Select(i => 1 + (i * 0.01)).Min(a => PrivacyAccountant.EpsilonAtOrder(privacy, 8, a));

        Assert.True(budget.Epsilon <= grid + 1e-9);
        Assert.Equal(grid, budget.Epsilon, 1e-3);
        Assert.True(PrivacyAccountant.Spent(privacy, 16).Epsilon > budget.Epsilon);
        Assert.Equal(0, PrivacyAccountant.Spent(privacy, 0).Epsilon);
    }

    [Fact]
    public void Rule_BadValues_AreRefusedNamingTheField()
    {
        Assert.Contains("ProximalMu", Assert.Throws<ArgumentOutOfRangeException>(() => new AggregationRule(AggregationAlgorithm.FedProx, 0, 10, null)).Message, StringComparison.Ordinal);
        Assert.Contains("ProximalMu", Assert.Throws<ArgumentOutOfRangeException>(() => new AggregationRule(AggregationAlgorithm.FedAvg, 0.1, 10, null)).Message, StringComparison.Ordinal);
        Assert.Contains("MaxSampleWeight", Assert.Throws<ArgumentOutOfRangeException>(() => new AggregationRule(AggregationAlgorithm.FedAvg, 0, 0, null)).Message, StringComparison.Ordinal);
        Assert.Contains("Delta", Assert.Throws<ArgumentOutOfRangeException>(() => new DifferentialPrivacySettings(1, 1, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("NoiseMultiplier", Assert.Throws<ArgumentOutOfRangeException>(() => new DifferentialPrivacySettings(1, 0, 1e-5)).Message, StringComparison.Ordinal);
        Assert.Equal(0.01, new AggregationRule(AggregationAlgorithm.FedProx, 0.01, 10, null).ProximalMu);
    }

    private sealed class SeededNoise(int seed) : INoiseSource
    {
        private readonly Random _random = new(seed);

        public double NextStandardNormal() =>
            Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
    }
}
