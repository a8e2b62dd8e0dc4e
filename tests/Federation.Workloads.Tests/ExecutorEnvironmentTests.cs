using System.Text.Json;
using Federation.Workloads.Training.Cli;
using Federation.Workloads.Training.Model;

namespace Federation.Workloads.Tests;

/// <summary>Run by the executor, the workload has no manifest: FEDERATION_INPUTS and FEDERATION_OUTPUTS and the job's --name=value arguments make one.</summary>
public sealed class ExecutorEnvironmentTests
{
    [Fact]
    public void Train_NoManifest_TakesInputsOutputsAndArguments()
    {
        using var dir = new TempDirectory();
        var inputs = Directory.CreateDirectory(dir.File("inputs")).FullName;
        var csv = Workload.Generate(dir, "NL", 150, 2, "nl");
        File.Copy(csv, Path.Combine(inputs, "NL-health"));
        var initial = TorchMlp.Initialise(4, 9);
        initial.Write(Path.Combine(inputs, "global.f32"));
        var environment = new Dictionary<string, string>
        {
            ["FEDERATION_INPUTS"] = inputs,
            ["FEDERATION_OUTPUTS"] = dir.File("outputs"),
        };

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = TrainingCommandLine.Run(["--verb=train", "--epochs=3"], output, error, name => environment.GetValueOrDefault(name));

        Assert.True(exit == 0, error.ToString());
        var trained = FlatWeights.Read(dir.File("outputs/weights.f32"), "weights");
        Assert.Equal(150, trained.SampleCount);
        Assert.True(trained.SameLayout(initial), "training did not start from the staged weights (hidden units differ)");
        using var metrics = JsonDocument.Parse(File.ReadAllText(dir.File("outputs/metrics.json")));
        Assert.Equal(3, metrics.RootElement.GetProperty("training").GetProperty("epochs").GetInt32());
    }
}
