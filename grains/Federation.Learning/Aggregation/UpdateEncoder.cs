using System.Collections.Immutable;
using Federation.Learning.Quantisation;

namespace Federation.Learning.Aggregation;

/// <summary>
/// A nation's side of the aggregation rule: clips its update to the DP norm (with DP), multiplies it by
/// its weight min(samples, cap)/cap (1 with DP), appends the weight, and quantises, so the secure sum
/// carries both Σ w·Δ and Σ w and no single sample count is revealed.
/// </summary>
public static class UpdateEncoder
{
    /// <summary>Encodes <paramref name="update"/>; the result has one more entry than the update.</summary>
    public static EncodedUpdate Encode(
        ReadOnlySpan<double> update, long sampleCount, AggregationRule rule, QuantisationParameters quantisation,
        RoundingMode rounding, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(quantisation);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleCount, 1);
        if (quantisation.ClipRange < 1)
        {
            throw new ArgumentException("QuantisationParameters.ClipRange must be at least 1 so the weight (up to 1) is not clipped.", nameof(quantisation));
        }

        var weight = rule.Privacy is null ? (double)Math.Min(sampleCount, rule.MaxSampleWeight) / rule.MaxSampleWeight : 1.0;
        var factor = weight;
        var normClipped = false;
        if (rule.Privacy is { } privacy)
        {
            var norm = 0.0;
            foreach (var x in update)
            {
                norm += x * x;
            }

            norm = Math.Sqrt(norm);
            if (norm > privacy.ClipNorm)
            {
                factor *= privacy.ClipNorm / norm;
                normClipped = true;
            }
        }

        var scaled = new double[update.Length + 1];
        for (var i = 0; i < update.Length; i++)
        {
            scaled[i] = update[i] * factor;
        }

        scaled[^1] = weight;
        var (levels, clipped) = Quantiser.Quantise(scaled, quantisation, rounding, seed);
        return new EncodedUpdate(ImmutableArray.Create(levels), weight, normClipped, clipped);
    }
}
