using System.Text.Json;

namespace Federation.Workloads.Tests;

/// <summary>The <c>init</c> verb: fresh weights for a seed and shape, no data, the same bytes for the same seed.</summary>
public sealed class InitVerbTests
{
    [Fact]
    public void Init_SameSeed_SameBytes_DifferentSeed_DifferentBytes()
    {
        using var dir = new TempDirectory();
        Workload.Ok("init", "--seed=5", "--hiddenUnits=8", $"--outputDirectory={dir.File("a")}");
        Workload.Ok("init", "--seed=5", "--hiddenUnits=8", $"--outputDirectory={dir.File("b")}");
        Workload.Ok("init", "--seed=6", "--hiddenUnits=8", $"--outputDirectory={dir.File("c")}");

        var a = File.ReadAllBytes(dir.File("a/weights.f32"));
        Assert.Equal(((8 * 6) + 8 + 8 + 1) * 4, a.Length);
        Assert.Equal(a, File.ReadAllBytes(dir.File("b/weights.f32")));
        Assert.Equal(File.ReadAllText(dir.File("a/weights.json")), File.ReadAllText(dir.File("b/weights.json")));
        Assert.NotEqual(a, File.ReadAllBytes(dir.File("c/weights.f32")));

        using var header = JsonDocument.Parse(File.ReadAllText(dir.File("a/weights.json")));
        Assert.Equal(0, header.RootElement.GetProperty("sampleCount").GetInt64());
        Assert.Equal(8 * 6 + 8 + 8 + 1, header.RootElement.GetProperty("count").GetInt64());
        Assert.Equal(4, header.RootElement.GetProperty("layout").GetArrayLength());
        Assert.False(File.Exists(dir.File("a/metrics.json")));
    }

    [Fact]
    public void Init_HiddenUnitsOutOfRange_RefusedNamingTheField()
    {
        using var dir = new TempDirectory();
        var (exit, _, error) = Workload.Run("init", "--hiddenUnits=0", $"--outputDirectory={dir.Path}");
        Assert.Equal(2, exit);
        Assert.Contains("error: hiddenUnits:", error, StringComparison.Ordinal);
    }
}
