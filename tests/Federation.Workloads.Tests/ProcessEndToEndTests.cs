using System.Diagnostics;
using System.Text.Json;

namespace Federation.Workloads.Tests;

/// <summary>The built executable as a process (as the executor runs it): generate, train twice, aggregate, evaluate, and a bad manifest.</summary>
public sealed class ProcessEndToEndTests
{
    private static readonly string _dll = Path.Combine(AppContext.BaseDirectory, "Federation.Workloads.Training.dll");

    [Fact]
    public async Task Executable_TinyFederation_EndToEnd()
    {
        using var dir = new TempDirectory();
        await Ok("generate", "--nation=FR", "--rows=120", "--seed=3", $"--outputDirectory={dir.File("data")}");
        await Ok("generate", "--nation=SE", "--rows=80", "--seed=3", $"--outputDirectory={dir.File("data")}");
        File.WriteAllText(dir.File("fr.json"), """{ "data": ["data/fr.csv"], "outputDirectory": "fr", "epochs": 2, "seed": 3, "hiddenUnits": 8 }""");
        await Ok("train", "--manifest", dir.File("fr.json"));
        await Ok("train", $"--data={dir.File("data/se.csv")}", $"--outputDirectory={dir.File("se")}", "--epochs=2", "--seed=3", "--hiddenUnits=8", "--proximalMu=0.1");
        await Ok("aggregate", $"--weights={dir.File("fr/weights.f32")},{dir.File("se/weights.f32")}", $"--outputDirectory={dir.File("global")}");
        await Ok("evaluate", $"--model={dir.File("global/weights.f32")}", $"--data={dir.File("data/fr.csv")},{dir.File("data/se.csv")}", $"--outputDirectory={dir.File("eval")}");

        using var header = JsonDocument.Parse(File.ReadAllText(dir.File("global/weights.json")));
        Assert.Equal(200, header.RootElement.GetProperty("sampleCount").GetInt64());
        using var metrics = JsonDocument.Parse(File.ReadAllText(dir.File("eval/metrics.json")));
        var evaluation = metrics.RootElement.GetProperty("evaluation");
        Assert.Equal(200, evaluation.GetProperty("rows").GetInt64());
        Assert.InRange(evaluation.GetProperty("auc").GetDouble(), 0, 1);
        Assert.InRange(evaluation.GetProperty("accuracy").GetDouble(), 0, 1);

        var (exit, _, error) = await Run("train", "--data=nowhere.csv", $"--outputDirectory={dir.Path}");
        Assert.Equal(2, exit);
        Assert.Contains("error: data[0]: no such file", error, StringComparison.Ordinal);
    }

    private static async Task Ok(params string[] args)
    {
        var (exit, output, error) = await Run(args);
        Assert.True(exit == 0, $"'{string.Join(' ', args)}' exited {exit}\n{output}\n{error}");
    }

    private static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(_dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the workload '{string.Join(' ', args)}' did not exit within 60 s");
        }

        return (process.ExitCode, await output, await error);
    }
}
