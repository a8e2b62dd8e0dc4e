namespace Federation.Workloads.Training.Data;

/// <summary>
/// The known outcome model of the synthetic data, the same in every nation: on standardised features
/// (see <see cref="HealthFeature"/>), logit = intercept + Σ coefficient × feature + interaction × age × HbA1c,
/// and the outcome is a Bernoulli draw of its sigmoid. The interaction makes the truth non-linear, so a
/// network has something to find that a linear model misses.
/// </summary>
public static class GroundTruth
{
    /// <summary>The intercept of the logit.</summary>
    public const double Intercept = -1.1;

    /// <summary>The coefficient of the standardised age × standardised HbA1c interaction.</summary>
    public const double AgeHba1cInteraction = 0.45;

    /// <summary>The coefficient of each standardised feature, by column name.</summary>
    public static IReadOnlyDictionary<string, double> Coefficients { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["age"] = 0.9,
        ["bmi"] = 0.6,
        ["systolic"] = 0.5,
        ["smoker"] = 0.8,
        ["hba1c"] = 1.0,
        ["activity"] = -0.5,
    };

    /// <summary>The probability of the outcome for one row of standardised features (in <see cref="HealthFeature.All"/> order).</summary>
    public static double Probability(ReadOnlySpan<double> standardised)
    {
        var logit = Intercept;
        for (var i = 0; i < HealthFeature.All.Count; i++)
        {
            logit += Coefficients[HealthFeature.All[i].Name] * standardised[i];
        }

        logit += AgeHba1cInteraction * standardised[0] * standardised[4];
        return 1.0 / (1.0 + Math.Exp(-logit));
    }
}
