namespace Federation.Workloads.Training.Data;

/// <summary>
/// Makes a nation's synthetic health table: covariates drawn from the nation's
/// <see cref="NationProfile"/> (with realistic dependencies: pressure and HbA1c rise with age and BMI),
/// outcomes drawn from the shared <see cref="GroundTruth"/>. Deterministic for (seed, nation, rows).
/// </summary>
public static class SyntheticHealthGenerator
{
    /// <summary>The largest table the generator makes.</summary>
    public const int MaxRows = 1_000_000;

    /// <summary>Generates <paramref name="rows"/> raw rows (feature values in <see cref="HealthFeature.All"/> order, then the outcome).</summary>
    public static IReadOnlyList<(double[] Raw, int Outcome)> Generate(string nation, int rows, long seed)
    {
        if (rows is < 1 or > MaxRows)
        {
            throw new WorkloadInputException("rows", $"{rows} is outside 1..{MaxRows}");
        }

        var profile = NationProfile.For(nation);
        var random = SplitMix64.From((ulong)seed, SplitMix64.Hash(nation));
        var result = new List<(double[], int)>(rows);
        var standardised = new double[HealthFeature.All.Count];
        for (var r = 0; r < rows; r++)
        {
            var age = Math.Clamp(profile.AgeMean + (profile.AgeSd * random.NextGaussian()), 18, 95);
            var bmi = Math.Clamp(profile.BmiMean + (profile.BmiSd * random.NextGaussian()), 15, 55);
            var systolic = Math.Clamp(112 + (0.5 * (age - 40)) + (0.9 * (bmi - 25)) + profile.SystolicOffset + (12 * random.NextGaussian()), 85, 220);
            var smoker = random.NextDouble() < profile.SmokerRate ? 1.0 : 0.0;
            var hba1c = Math.Clamp(5.2 + (0.015 * (age - 40)) + (0.06 * (bmi - 25)) + profile.Hba1cOffset + (0.5 * random.NextGaussian()), 4.0, 12.0);
            var activity = Math.Clamp(profile.ActivityMean + (2.5 * random.NextGaussian()), 0, 20);
            double[] raw = [Math.Round(age, 1), Math.Round(bmi, 1), Math.Round(systolic, 1), smoker, Math.Round(hba1c, 2), Math.Round(activity, 1)];
            for (var i = 0; i < raw.Length; i++)
            {
                standardised[i] = HealthFeature.All[i].Standardise(raw[i]);
            }

            var outcome = random.NextDouble() < GroundTruth.Probability(standardised) ? 1 : 0;
            result.Add((raw, outcome));
        }

        return result;
    }
}
