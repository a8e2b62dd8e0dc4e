using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Artifacts;

/// <summary>
/// Runs this nation's allow-listed evaluation program (<see cref="ArtifactOptions.EvaluationProgram"/>,
/// pinned by <see cref="ArtifactOptions.EvaluationProgramSha256"/>; the reference is the TorchSharp
/// workload's <c>train.sh</c>) with the workloads' contract: <c>evaluate --manifest manifest.json</c>,
/// the manifest naming <c>model</c>, <c>data</c> and <c>outputDirectory</c>, the result read from the
/// <c>evaluation</c> block of <c>outputDirectory/metrics.json</c>. A program whose bytes differ from
/// the pin is not started; one that runs longer than <see cref="ArtifactOptions.EvaluationTimeout"/> is killed.
/// </summary>
public sealed class WorkloadEvaluationRunner(IOptions<ArtifactOptions> options) : IModelEvaluationRunner
{
    /// <inheritdoc />
    public async Task<EvaluationMetrics> RunAsync(string modelPath, string dataPath, CancellationToken ct)
    {
        var o = options.Value;
        if (o.EvaluationProgram is not { Length: > 0 } program || o.EvaluationProgramSha256 is not { Length: > 0 } pin)
        {
            throw new InvalidOperationException("this nation runs no evaluations: Federation:Artifacts:EvaluationProgram and EvaluationProgramSha256 are not configured");
        }

        string actual;
        await using (var read = File.OpenRead(program))
        {
            actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(read, ct));
        }

        if (!string.Equals(actual, pin, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"the evaluation program {program} hashes to {actual}, not its pin Federation:Artifacts:EvaluationProgramSha256: not started");
        }

        var work = Directory.CreateTempSubdirectory("federation-evaluation-").FullName;
        try
        {
            var outputs = Path.Combine(work, "outputs");
            var manifest = Path.Combine(work, "manifest.json");
            await File.WriteAllTextAsync(manifest, new JsonObject
            {
                ["model"] = modelPath,
                ["data"] = new JsonArray(dataPath),
                ["outputDirectory"] = outputs,
            }.ToJsonString(), ct);
            var start = new ProcessStartInfo(program) { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("evaluate");
            start.ArgumentList.Add("--manifest");
            start.ArgumentList.Add(manifest);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"the evaluation program {program} did not start");
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                limit.CancelAfter(o.EvaluationTimeout);
                try
                {
                    await process.WaitForExitAsync(limit.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    throw new InvalidOperationException($"the evaluation program ran longer than {o.EvaluationTimeout} (Federation:Artifacts:EvaluationTimeout) and was stopped");
                }
            }

            await stdout;
            var errors = await stderr;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"the evaluation program exited with {process.ExitCode}: {errors.Trim().Split('\n')[^1]}");
            }

            return Read(await File.ReadAllTextAsync(Path.Combine(outputs, "metrics.json"), ct));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The metrics of a <c>metrics.json</c> written by the <c>evaluate</c> verb.</summary>
    /// <exception cref="InvalidOperationException">It holds no well-formed <c>evaluation</c> block.</exception>
    public static EvaluationMetrics Read(string metricsJson)
    {
        try
        {
            var e = JsonNode.Parse(metricsJson)?["evaluation"] ?? throw new InvalidOperationException("metrics.json has no evaluation block");
            double Number(string name) => e[name]?.GetValue<double>() ?? throw new InvalidOperationException($"metrics.json: evaluation.{name} is missing");
            return new EvaluationMetrics(
                e["rows"]?.GetValue<long>() ?? throw new InvalidOperationException("metrics.json: evaluation.rows is missing"),
                Number("accuracy"),
                e["auc"] is { } auc ? auc.GetValue<double>() : null,
                Number("logLoss"),
                Number("ece"));
        }
        catch (Exception error) when (error is JsonException or FormatException)
        {
            throw new InvalidOperationException($"metrics.json is not the evaluate verb's: {error.Message}");
        }
    }
}
