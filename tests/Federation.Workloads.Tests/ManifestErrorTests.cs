using Federation.Workloads.Training.Model;

namespace Federation.Workloads.Tests;

public sealed class ManifestErrorTests
{
    [Theory]
    [InlineData("""{ "data": ["a.csv"], "outputDirectory": "out", "epochz": 2 }""", "epochz: is not a manifest field")]
    [InlineData("""{ "data": ["a.csv", null], "outputDirectory": "out" }""", "data[1]: must be a file path")]
    [InlineData("""{ "data": ["missing.csv"], "outputDirectory": "out" }""", "data[0]: no such file")]
    [InlineData("""{ "data": ["a.csv"] }""", "outputDirectory: required")]
    [InlineData("""{ "data": ["a.csv"], "outputDirectory": "out", "epochs": 0 }""", "epochs: 0 is outside 1..1000")]
    [InlineData("""{ "data": ["a.csv"], "outputDirectory": "out", "learningRate": -1 }""", "learningRate: -1 is outside")]
    [InlineData("""{ "data": ["a.csv"], "outputDirectory": "out", "epochs": "two" }""", "epochs:")]
    [InlineData("""[1, 2]""", "--manifest:")]
    public void Train_BadManifest_ExitsTwoNamingTheField(string manifest, string expected)
    {
        using var dir = new TempDirectory();
        Workload.Generate(dir, "FR", 50, 1, "a");
        File.WriteAllText(dir.File("manifest.json"), manifest);

        var (exit, _, error) = Workload.Run("train", "--manifest", dir.File("manifest.json"));

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Aggregate_DifferentLayouts_NamesTheOddFile()
    {
        using var dir = new TempDirectory();
        TorchMlp.Initialise(8, 1).Write(dir.File("a.f32"));
        TorchMlp.Initialise(16, 1).Write(dir.File("b.f32"));

        var (exit, _, error) = Workload.Run("aggregate", $"--weights={dir.File("a.f32")},{dir.File("b.f32")}", $"--outputDirectory={dir.Path}");

        Assert.Equal(2, exit);
        Assert.Contains("weights[1]: its layout differs", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_CsvWithBadCell_NamesFileLineAndColumn()
    {
        using var dir = new TempDirectory();
        var csv = Workload.Generate(dir, "SE", 5, 1, "se");
        var lines = File.ReadAllLines(csv);
        lines[3] = lines[3].Replace(lines[3].Split(',')[1], "fat", StringComparison.Ordinal);
        File.WriteAllLines(csv, lines);
        TorchMlp.Initialise(4, 1).Write(dir.File("m.f32"));

        var (exit, _, error) = Workload.Run("evaluate", $"--model={dir.File("m.f32")}", $"--data={csv}", $"--outputDirectory={dir.Path}");

        Assert.Equal(2, exit);
        Assert.Contains("data[0]:", error, StringComparison.Ordinal);
        Assert.Contains("line 4: column 'bmi' is not a finite number", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownVerb_ListsTheVerbs()
    {
        var (exit, _, error) = Workload.Run("fit", "--outputDirectory=/tmp");
        Assert.Equal(2, exit);
        Assert.Contains("verb: 'fit' is not one of generate, init, train, aggregate, evaluate, centralized", error, StringComparison.Ordinal);
    }
}
