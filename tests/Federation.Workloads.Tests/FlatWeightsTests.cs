using System.Buffers.Binary;
using Federation.Workloads.Training;
using Federation.Workloads.Training.Model;

namespace Federation.Workloads.Tests;

public sealed class FlatWeightsTests
{
    [Fact]
    public void Write_ValuesAreRawLittleEndianFloat32_AndReadBack()
    {
        using var dir = new TempDirectory();
        var weights = TorchMlp.Initialise(8, 4);
        weights.Write(dir.File("w.f32"));

        var bytes = File.ReadAllBytes(dir.File("w.f32"));
        Assert.Equal(((8 * 6) + 8 + 8 + 1) * 4, bytes.Length);
        Assert.Equal(weights.Values[0], BinaryPrimitives.ReadSingleLittleEndian(bytes));
        var back = FlatWeights.Read(dir.File("w.f32"), "model");
        Assert.Equal(weights.ToArray(), back.ToArray());
        Assert.True(back.SameLayout(weights));
    }

    [Fact]
    public void Read_OneByteChanged_RefusedNamingTheDigest()
    {
        using var dir = new TempDirectory();
        TorchMlp.Initialise(4, 1).Write(dir.File("w.f32"));
        var bytes = File.ReadAllBytes(dir.File("w.f32"));
        bytes[5] ^= 1;
        File.WriteAllBytes(dir.File("w.f32"), bytes);

        var error = Assert.Throws<WorkloadInputException>(() => FlatWeights.Read(dir.File("w.f32"), "weights[2]"));
        Assert.Equal("weights[2]", error.Field);
        Assert.Contains("sha256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_BareValuesAsARegistryHoldsThem_SameMetricsAsWithTheHeader()
    {
        using var dir = new TempDirectory();
        var csv = Workload.Generate(dir, "GB", 200, 3, "gb");
        TorchMlp.Initialise(16, 5).Write(dir.File("m.f32"));
        Directory.CreateDirectory(dir.File("store"));
        File.Copy(dir.File("m.f32"), dir.File("store/3f9a"));

        Workload.Ok("evaluate", $"--model={dir.File("m.f32")}", $"--data={csv}", $"--outputDirectory={dir.File("headed")}");
        Workload.Ok("evaluate", $"--model={dir.File("store/3f9a")}", $"--data={csv}", $"--outputDirectory={dir.File("bare")}");

        var headed = File.ReadAllText(dir.File("headed/metrics.json"));
        Assert.Contains("\"rows\": 200", headed, StringComparison.Ordinal);
        Assert.Equal(headed, File.ReadAllText(dir.File("bare/metrics.json")));
    }

    [Fact]
    public void ReadModel_BareValuesOfNoNetworksSize_RefusedNamingTheField()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("odd"), new byte[(((8 * 6) + 8 + 8 + 1) * 4) + 4]);

        var error = Assert.Throws<WorkloadInputException>(() => FlatWeights.ReadModel(dir.File("odd"), "model", TorchMlp.LayoutOfCount));

        Assert.Equal("model", error.Field);
        Assert.Contains("has no header beside it", error.Message, StringComparison.Ordinal);
        Assert.Equal(8, TorchMlp.LayoutOfCount((8 * 6) + 8 + 8 + 1)![0].Shape[0]);
    }

    [Fact]
    public void Initialise_SameSeed_SameValues_WithinPyTorchsBound()
    {
        var a = TorchMlp.Initialise(32, 7).ToArray();
        Assert.Equal(a, TorchMlp.Initialise(32, 7).ToArray());
        Assert.NotEqual(a, TorchMlp.Initialise(32, 8).ToArray());
        Assert.All(a.Take(32 * 6), v => Assert.InRange(v, -1 / Math.Sqrt(6), 1 / Math.Sqrt(6)));
    }
}
