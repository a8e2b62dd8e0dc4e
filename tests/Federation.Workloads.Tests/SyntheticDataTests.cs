using System.Globalization;
using System.Text.Json;
using Federation.Workloads.Training.Data;

namespace Federation.Workloads.Tests;

public sealed class SyntheticDataTests
{
    [Fact]
    public void Generate_SameSeedAndNation_SameBytes_OtherSeed_OtherBytes()
    {
        using var dir = new TempDirectory();
        var first = File.ReadAllBytes(Workload.Generate(dir, "FR", 300, 11, "a"));
        var again = File.ReadAllBytes(Workload.Generate(dir, "FR", 300, 11, "b"));
        var other = File.ReadAllBytes(Workload.Generate(dir, "FR", 300, 12, "c"));
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Generate_ThreeNations_CovariatesAndPrevalenceDiffer()
    {
        using var dir = new TempDirectory();
        string[] nations = ["FR", "DE", "SE"];
        var stats = nations.ToDictionary(n => n, n => Summarise(Workload.Generate(dir, n, 2000, 5, n.ToLowerInvariant())));

        // Mean age differs by more than ten standard errors between each pair (covariate shift)...
        foreach (var (a, b) in new[] { ("FR", "DE"), ("FR", "SE"), ("DE", "SE") })
        {
            Assert.True(Math.Abs(stats[a].MeanAge - stats[b].MeanAge) > 10 * 14 / Math.Sqrt(2000), $"mean age {a} {stats[a].MeanAge:F1} vs {b} {stats[b].MeanAge:F1}");
            Assert.True(Math.Abs(stats[a].Prevalence - stats[b].Prevalence) > 0.05, $"prevalence {a} {stats[a].Prevalence:F3} vs {b} {stats[b].Prevalence:F3}");
            Assert.True(Math.Abs(stats[a].SmokerRate - stats[b].SmokerRate) > 0.04, $"smokers {a} {stats[a].SmokerRate:F3} vs {b} {stats[b].SmokerRate:F3}");
        }
    }

    [Fact]
    public void Generate_Schema_StatesGroundTruthAndMatchesTheCsv()
    {
        using var dir = new TempDirectory();
        var csv = Workload.Generate(dir, "DE", 500, 3, "de");
        using var schema = JsonDocument.Parse(File.ReadAllText(dir.File("de.schema.json")));
        var root = schema.RootElement;
        Assert.Equal("DE", root.GetProperty("nation").GetString());
        Assert.Equal(500, root.GetProperty("rows").GetInt32());
        Assert.Equal(GroundTruth.Intercept, root.GetProperty("groundTruth").GetProperty("intercept").GetDouble());
        Assert.Equal(1.0, root.GetProperty("groundTruth").GetProperty("coefficients").GetProperty("hba1c").GetDouble());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(csv))), root.GetProperty("sha256").GetString());
        Assert.Equal(Summarise(csv).Prevalence, root.GetProperty("prevalence").GetDouble(), 9);
    }

    [Fact]
    public void Generate_OutcomesFollowTheGroundTruth()
    {
        // The empirical prevalence is the mean ground-truth probability of the rows, within sampling error.
        using var dir = new TempDirectory();
        var csv = Workload.Generate(dir, "IT", 4000, 9, "it");
        var data = TabularData.Read([csv], "data");
        var expected = 0.0;
        for (var r = 0; r < data.Rows; r++)
        {
            var row = data.Features.Slice(r * TabularData.FeatureCount, TabularData.FeatureCount).ToArray().Select(v => (double)v).ToArray();
            expected += GroundTruth.Probability(row);
        }

        expected /= data.Rows;
        var observed = data.Labels.ToArray().Average();
        Assert.True(Math.Abs(observed - expected) < 4 * Math.Sqrt(expected * (1 - expected) / data.Rows), $"observed {observed:F3}, ground truth {expected:F3}");
    }

    private static (double MeanAge, double Prevalence, double SmokerRate) Summarise(string csv)
    {
        var rows = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToList();
        return (rows.Average(r => r[0]), rows.Average(r => r[6]), rows.Average(r => r[3]));
    }
}
