namespace Federation.Learning.Aggregation;

/// <summary>
/// Rényi-DP accounting for the Gaussian mechanism without subsampling (every nation takes part in every
/// round). One round with noise z·C on a sum of sensitivity C is (α, α/(2z²))-RDP for every α &gt; 1
/// (Mironov 2017, Prop. 7); T rounds compose to (α, Tα/(2z²))-RDP; converting with
/// ε = ε_RDP(α) + ln(1/δ)/(α − 1) and minimising over α gives
/// ε = T/(2z²) + √(2T·ln(1/δ))/z, at α = 1 + z·√(2·ln(1/δ)/T).
/// </summary>
public static class PrivacyAccountant
{
    /// <summary>The budget spent after <paramref name="rounds"/> rounds with <paramref name="settings"/>.</summary>
    public static PrivacyBudget Spent(DifferentialPrivacySettings settings, int rounds)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(rounds);
        if (rounds == 0)
        {
            return new PrivacyBudget(0, settings.Delta, 0, settings.NoiseMultiplier);
        }

        var z = settings.NoiseMultiplier;
        var epsilon = (rounds / (2 * z * z)) + (Math.Sqrt(2 * rounds * Math.Log(1 / settings.Delta)) / z);
        return new PrivacyBudget(epsilon, settings.Delta, rounds, z);
    }

    /// <summary>ε at one Rényi order, for checking the closed form: Tα/(2z²) + ln(1/δ)/(α − 1).</summary>
    public static double EpsilonAtOrder(DifferentialPrivacySettings settings, int rounds, double alpha)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(alpha, 1.0);
        var z = settings.NoiseMultiplier;
        return (rounds * alpha / (2 * z * z)) + (Math.Log(1 / settings.Delta) / (alpha - 1));
    }
}
