using System.Security.Cryptography;

namespace Federation.Workloads.Training.Data;

/// <summary>
/// The small JSON manifest written beside a generated CSV (<c>name.schema.json</c>): the columns with
/// their units and scaling, the nation's profile, the ground-truth model, and what was drawn.
/// </summary>
public sealed record DatasetSchema(
    string Kind, string Nation, long Seed, long Rows, long Positives, double Prevalence, string Sha256,
    IReadOnlyList<HealthFeature> Features, string Outcome, NationProfile Profile, GroundTruthDescription GroundTruth)
{
    /// <summary>Describes a generated table and its CSV file.</summary>
    public static DatasetSchema Describe(string nation, long seed, IReadOnlyList<(double[] Raw, int Outcome)> table, string csvPath)
    {
        var positives = table.Count(r => r.Outcome == 1);
        return new DatasetSchema(
            "federation-synthetic-health/1", nation, seed, table.Count, positives, (double)positives / table.Count,
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(csvPath))),
            HealthFeature.All, HealthFeature.OutcomeColumn, NationProfile.For(nation),
            new GroundTruthDescription(
                "P(outcome=1) = sigmoid(intercept + Σ coefficient[f] × (x[f] − centre[f]) / scale[f] + ageHba1cInteraction × z[age] × z[hba1c])",
                Data.GroundTruth.Intercept, Data.GroundTruth.Coefficients, Data.GroundTruth.AgeHba1cInteraction));
    }
}
