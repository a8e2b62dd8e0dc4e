using System.Globalization;

namespace Federation.Workloads.Training.Data;

/// <summary>
/// How one nation's population differs (covariate shift): means and spreads of age and BMI, blood
/// pressure and HbA1c offsets, smoking rate and activity. The outcome model is the same everywhere, so
/// different covariates also give a different outcome prevalence (label shift).
/// </summary>
/// <param name="AgeMean">Mean age, years.</param>
/// <param name="AgeSd">Standard deviation of age.</param>
/// <param name="BmiMean">Mean BMI.</param>
/// <param name="BmiSd">Standard deviation of BMI.</param>
/// <param name="SystolicOffset">Added to systolic pressure, mmHg (diet, salt).</param>
/// <param name="SmokerRate">Share of current smokers.</param>
/// <param name="Hba1cOffset">Added to HbA1c, %.</param>
/// <param name="ActivityMean">Mean activity, hours a week.</param>
public sealed record NationProfile(
    double AgeMean, double AgeSd, double BmiMean, double BmiSd,
    double SystolicOffset, double SmokerRate, double Hba1cOffset, double ActivityMean)
{
    private static readonly Dictionary<string, NationProfile> _known = new(StringComparer.Ordinal)
    {
        ["FR"] = new(52, 13, 25.5, 4.0, 2, 0.30, 0.0, 3.5),
        ["DE"] = new(60, 11, 28.0, 4.5, 6, 0.22, 0.2, 3.0),
        ["SE"] = new(45, 14, 24.8, 3.8, -4, 0.12, -0.2, 5.5),
        ["IT"] = new(57, 12, 26.0, 4.0, 4, 0.24, 0.1, 2.8),
        ["NL"] = new(50, 13, 25.0, 3.6, 0, 0.18, -0.1, 4.5),
    };

    /// <summary>
    /// The profile of <paramref name="nation"/>: a fixed one for FR, DE, SE, IT and NL, otherwise one
    /// derived from the code's hash (so any nation gets its own, reproducible, distribution).
    /// </summary>
    public static NationProfile For(string nation)
    {
        if (_known.TryGetValue(nation, out var profile))
        {
            return profile;
        }

        var random = new SplitMix64(SplitMix64.Hash(nation.ToUpper(CultureInfo.InvariantCulture)));
        double Between(double low, double high) => low + ((high - low) * random.NextDouble());
        return new NationProfile(
            Between(42, 62), Between(10, 15), Between(24, 29), Between(3.5, 5),
            Between(-6, 8), Between(0.1, 0.35), Between(-0.3, 0.3), Between(2.5, 6));
    }
}
