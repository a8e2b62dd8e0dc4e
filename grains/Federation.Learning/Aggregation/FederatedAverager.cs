using Federation.Learning.Quantisation;

namespace Federation.Learning.Aggregation;

/// <summary>
/// The aggregator's side of the rule: dequantises the unmasked sum of encoded updates, adds the DP noise
/// (with DP), and divides Σ w·Δ by Σ w. With DP the denominator is the number of contributors, which is
/// public, and the budget after this round is reported.
/// </summary>
public static class FederatedAverager
{
    /// <summary>
    /// Averages <paramref name="sum"/>, the sum mod 2^32 of <paramref name="contributors"/> encoded updates;
    /// <paramref name="noisyRoundsBefore"/> counts the earlier rounds of the job that spent privacy budget.
    /// </summary>
    public static AggregatedUpdate Average(
        ReadOnlySpan<uint> sum, int contributors, AggregationRule rule, QuantisationParameters quantisation,
        int noisyRoundsBefore = 0, INoiseSource? noise = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (sum.Length < 2)
        {
            throw new ArgumentException("sum must hold at least one update entry and the weight entry.", nameof(sum));
        }

        var values = Quantiser.DequantiseSum(sum, contributors, quantisation);
        var length = values.Length - 1;
        double totalWeight;
        PrivacyBudget? budget = null;
        if (rule.Privacy is { } privacy)
        {
            noise ??= new CryptographicNoiseSource();
            for (var i = 0; i < length; i++)
            {
                values[i] += privacy.NoiseStandardDeviation * noise.NextStandardNormal();
            }

            totalWeight = contributors;
            budget = PrivacyAccountant.Spent(privacy, noisyRoundsBefore + 1);
        }
        else
        {
            totalWeight = values[length];
            if (!(totalWeight > 0))
            {
                throw new ArgumentException($"the summed weight is {totalWeight}; it must be above 0.", nameof(sum));
            }
        }

        var update = new double[length];
        for (var i = 0; i < length; i++)
        {
            update[i] = values[i] / totalWeight;
        }

        return new AggregatedUpdate([.. update], totalWeight, contributors, budget);
    }
}
