using Federation.Learning.Run;

namespace Federation.Workloads.Tests;

/// <summary><see cref="LocalStepFiles.ReadTrainingTime"/> on the <c>training</c> block of a step's <c>metrics.json</c>.</summary>
public sealed class TrainingTimeTests
{
    [Fact]
    public void ReadTrainingTime_TrainingBlock_CpuAndWallSeconds()
    {
        var (cpu, wall) = LocalStepFiles.ReadTrainingTime("""{ "training": { "samples": 3, "cpuSeconds": 0.75, "wallSeconds": 1.5 } }""");

        Assert.Equal(0.75, cpu);
        Assert.Equal(1.5, wall);
    }

    [Theory]
    [InlineData("""{ "local": {} }""", "metrics.json: training")]
    [InlineData("""{ "training": { "wallSeconds": 1 } }""", "metrics.json: training.cpuSeconds")]
    [InlineData("""{ "training": { "cpuSeconds": -1, "wallSeconds": 1 } }""", "must be at least 0")]
    [InlineData("not json", "metrics.json: not JSON")]
    public void ReadTrainingTime_Bad_RefusedNamingTheField(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => LocalStepFiles.ReadTrainingTime(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
