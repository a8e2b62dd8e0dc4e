using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Learning.Run;
using Federation.Silo.Learning;

namespace Federation.Benchmarks.Learning;

/// <summary>
/// <c>federated</c>: the federated-training benchmark (issue 17). Generates each nation's non-IID rows with the
/// reference workload's generator, trains federated (<see cref="InProcessRun"/>: the silos' pure round deciders in
/// this process, each local step the workload's <c>train</c> as a process) and centralized on the pooled rows for
/// the same epochs, evaluates both on held-out rows of every nation, and prints the table, the bytes per round
/// that would cross borders, and the goal line "within 1 percentage point of centralized".
/// </summary>
internal static class FederatedBenchmark
{
    private const double GoalPoints = 1.0;

    public static async Task<int> MainAsync(string[] args)
    {
        var options = FederatedOptions.Parse(args, out var error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync((error is { Length: > 0 } ? error + "\n" : "") + FederatedOptions.Usage);
            return error is { Length: > 0 } ? 2 : 0;
        }

        if (!File.Exists(WorkloadProcess.Dll))
        {
            await Console.Error.WriteLineAsync($"federated: the training workload is not built at {WorkloadProcess.Dll}: build tests/Federation.Benchmarks (it builds the workload) in the same configuration");
            return 2;
        }

        var output = Console.Out;
        var total = Stopwatch.StartNew();
        output.WriteLine("Federated training: secure-aggregated FedAvg against centralized training on the pooled data");
        output.WriteLine($"  command     {FederatedOptions.Command(args)}");
        await MachineInfo.PrintAsync(output);
        output.WriteLine($"  workload    {WorkloadProcess.Dll} (a process per verb and local step, one LibTorch thread, as a silo runs it)");
        output.WriteLine(F($"  data        {options.Rows:N0} generated rows per nation ({string.Join(", ", options.Nations)}; seed {options.Seed}), {options.TestRows:N0} held-out rows per nation (seed {options.Seed + 201})"));
        output.WriteLine(F($"  training    {options.Rounds} rounds × {options.Epochs} local epochs, SGD lr {options.LearningRate}, batch {options.BatchSize}, {options.HiddenUnits} hidden units (examples/jobs/federated-training.json); centralized: {options.Rounds * options.Epochs} epochs on the pooled rows"));
        output.WriteLine(options.SecureAggregation
            ? $"  rounds      FederatedRunCoordinator (aggregator {options.Nations[0]}) and a FederatedRunParticipant per nation in this process; every message through RoundMessageCodec as the federation API carries it"
            : $"  rounds      plain FedAvg in this process (--secagg off): the aggregator {options.Nations[0]} averages the nations' trained weights by sample count");
        await MachineInfo.PrintLoadAverageAsync(output, "at the start");

        var directory = Directory.CreateTempSubdirectory("federated-benchmark-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(options.Nations.Select(async n =>
            {
                await WorkloadProcess.RunAsync("generate", $"--nation={n}", F($"--rows={options.Rows}"), F($"--seed={options.Seed}"), $"--name={n}", $"--outputDirectory={directory}");
                await WorkloadProcess.RunAsync("generate", $"--nation={n}", F($"--rows={options.TestRows}"), F($"--seed={options.Seed + 201}"), $"--name={n}-test", $"--outputDirectory={directory}");
            }));
            var data = options.Nations.ToDictionary(n => n, n => Path.Combine(directory, n + ".csv"), StringComparer.Ordinal);
            var test = string.Join(',', options.Nations.Select(n => Path.Combine(directory, n + "-test.csv")));
            foreach (var n in options.Nations)
            {
                using var schema = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, n + ".schema.json")));
                output.WriteLine(F($"  {n,-11} {schema.RootElement.GetProperty("rows").GetInt64():N0} rows, prevalence {schema.RootElement.GetProperty("prevalence").GetDouble():P1}"));
            }

            output.WriteLine(F($"  generated   in {clock.Elapsed.TotalSeconds:F1} s"));
            var init = Path.Combine(directory, "init");
            await WorkloadProcess.RunAsync("init", F($"--seed={options.Seed}"), F($"--hiddenUnits={options.HiddenUnits}"), $"--outputDirectory={init}");
            var header = await File.ReadAllTextAsync(Path.Combine(init, "weights.json"));
            var initial = LocalStepFiles.ReadWeights(await File.ReadAllBytesAsync(Path.Combine(init, "weights.f32")), header, out _);
            using var headerJson = JsonDocument.Parse(header);
            var layout = WorkloadInitialModelSource.Layout(headerJson.RootElement);

            clock.Restart();
            var run = new InProcessRun(options, directory, data, initial, layout);
            var (weights, samples) = await run.RunAsync();
            var federatedSeconds = clock.Elapsed.TotalSeconds;
            var model = Path.Combine(directory, "federated");
            Directory.CreateDirectory(model);
            var (bytes, modelHeader) = LocalStepFiles.Write(weights, layout, samples);
            await File.WriteAllBytesAsync(Path.Combine(model, "weights.f32"), bytes);
            await File.WriteAllTextAsync(Path.Combine(model, "weights.json"), modelHeader);

            clock.Restart();
            var (_, childrenBefore) = WorkloadProcess.CpuSeconds();
            var centralized = Path.Combine(directory, "centralized");
            await WorkloadProcess.RunAsync("centralized", $"--data={string.Join(',', data.Values)}", F($"--rounds={options.Rounds}"), F($"--epochs={options.Epochs}"),
                F($"--learningRate={options.LearningRate}"), F($"--batchSize={options.BatchSize}"), F($"--hiddenUnits={options.HiddenUnits}"), F($"--seed={options.Seed}"),
                $"--outputDirectory={centralized}");
            var centralizedSeconds = clock.Elapsed.TotalSeconds;
            var centralizedCpu = WorkloadProcess.CpuSeconds().Children - childrenBefore;

            var federatedScore = await EvaluateAsync(Path.Combine(model, "weights.f32"), test, Path.Combine(directory, "federated-evaluation"));
            var centralizedScore = await EvaluateAsync(Path.Combine(centralized, "weights.f32"), test, Path.Combine(directory, "centralized-evaluation"));
            await MachineInfo.PrintLoadAverageAsync(output, "at the end");
            FederatedReport.Write(output, options, run.Rounds, federatedScore, centralizedScore, federatedSeconds, centralizedSeconds, centralizedCpu, GoalPoints);
            output.WriteLine(F($"Whole run: {total.Elapsed.TotalSeconds:F1} s"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<Score> EvaluateAsync(string model, string test, string outputDirectory)
    {
        await WorkloadProcess.RunAsync("evaluate", $"--model={model}", $"--data={test}", $"--outputDirectory={outputDirectory}");
        var evaluation = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outputDirectory, "metrics.json")))!["evaluation"]!;
        return new Score(evaluation["rows"]!.GetValue<long>(), evaluation["accuracy"]!.GetValue<double>(), evaluation["auc"]?.GetValue<double>() ?? double.NaN,
            evaluation["logLoss"]!.GetValue<double>());
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A model's metrics on the pooled held-out rows.</summary>
internal sealed record Score(long Rows, double Accuracy, double Auc, double LogLoss);
