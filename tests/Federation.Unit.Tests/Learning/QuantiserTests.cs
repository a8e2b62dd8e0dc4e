using CsCheck;
using Federation.Learning.Quantisation;

namespace Federation.Unit.Tests.Learning;

public sealed class QuantiserTests
{
    private static readonly QuantisationParameters Parameters = new(clipRange: 4, levelBits: 20);

    [Theory]
    [InlineData(RoundingMode.Nearest)]
    [InlineData(RoundingMode.Stochastic)]
    public void DequantiseSum_ValuesInsideClipRange_IsWithinTheDocumentedBound(RoundingMode rounding)
    {
        Gen.Select(Gen.Double[-4, 4].Array[16].Array[2, 12], Gen.Int).Sample((vectors, seed) =>
        {
            var sum = new uint[16];
            for (var k = 0; k < vectors.Length; k++)
            {
                Quantiser.AddInto(sum, Quantiser.Quantise(vectors[k], Parameters, rounding, seed + k).Levels);
            }

            var decoded = Quantiser.DequantiseSum(sum, vectors.Length, Parameters);
            var bound = Parameters.SumErrorBound(vectors.Length, rounding);
            for (var i = 0; i < 16; i++)
            {
                var exact = vectors.Sum(v => v[i]);
                Assert.True(Math.Abs(decoded[i] - exact) <= bound + 1e-9, $"entry {i}: {decoded[i]} vs {exact}, bound {bound}");
            }
        }, iter: 200);
    }

    [Fact]
    public void Quantise_StochasticWithSameSeed_IsReproducibleAndCountsClippedValues()
    {
        double[] values = [0.3, -7, 9, 1.234567];

        var first = Quantiser.Quantise(values, Parameters, RoundingMode.Stochastic, seed: 11);
        var second = Quantiser.Quantise(values, Parameters, RoundingMode.Stochastic, seed: 11);

        Assert.Equal(first.Levels, second.Levels);
        Assert.Equal(2, first.Clipped);
        Assert.Equal(0u, first.Levels[1]);
        Assert.Equal((uint)Parameters.Levels, first.Levels[2]);
    }

    [Fact]
    public void Quantise_StochasticRounding_IsUnbiasedOnAverage()
    {
        var values = Enumerable.Repeat(0.1 / Parameters.Scale, 20_000).ToArray(); // a tenth of a step above -c + c
        var (levels, _) = Quantiser.Quantise(values, Parameters, RoundingMode.Stochastic, seed: 5);
        var mean = levels.Average(l => l - (Parameters.ClipRange * Parameters.Scale));

        Assert.InRange(mean, 0.09, 0.11);
    }

    [Fact]
    public void Parameters_BadValues_AreRefusedNamingTheField()
    {
        Assert.Contains("ClipRange", Assert.Throws<ArgumentOutOfRangeException>(() => new QuantisationParameters(0, 20)).Message, StringComparison.Ordinal);
        Assert.Contains("LevelBits", Assert.Throws<ArgumentOutOfRangeException>(() => new QuantisationParameters(1, 31)).Message, StringComparison.Ordinal);
        Assert.Contains("values[1]", Assert.Throws<ArgumentException>(() => Quantiser.Quantise([0, double.NaN], Parameters, RoundingMode.Nearest)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DequantiseSum_MoreContributorsThanTheModulusHolds_IsRefused()
    {
        Assert.Equal(4095, Parameters.MaxContributors);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Quantiser.DequantiseSum(new uint[1], 4096, Parameters));

        Assert.Contains("the sum wraps", e.Message, StringComparison.Ordinal);
    }
}
