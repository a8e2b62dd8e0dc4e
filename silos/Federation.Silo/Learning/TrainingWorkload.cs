using System.Diagnostics;
using Federation.Contracts.Jobs;
using Federation.Execution.Workloads;
using Federation.Grains.Nations;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Learning;

/// <summary>
/// Runs a verb of the training workload a federated spec names (<see cref="FederatedSpec.Training"/>), as
/// this nation allow-lists it: found in <c>Federation:Workloads</c> by <c>name@version</c>, copied into the
/// work directory and that copy checked against the pinned sha256 exactly as the process executor does
/// (<see cref="WorkloadCatalogue.CopyVerifiedAsync"/>), then run with the verb's arguments, killed after
/// <see cref="LocalStepOptions.StepTimeout"/>, its output kept to the last <see cref="LocalStepOptions.OutputLines"/> lines.
/// </summary>
public sealed class TrainingWorkload(WorkloadCatalogue catalogue, LocalNation local, IOptions<LocalStepOptions> options)
{
    /// <summary>The name of the verified copy in a work directory.</summary>
    public const string CopyName = "workload";

    /// <summary>The allow-list's entry for <paramref name="call"/>; throws <see cref="InvalidOperationException"/> naming the setting to fix.</summary>
    public WorkloadDefinition Find(WorkloadCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var workload = catalogue.Find(call)
            ?? throw new InvalidOperationException(
                $"the training workload {call} is not on {local.Code}'s allow-list: add it under Federation:Workloads (Name={call.Name}, Version={call.Version}, Path, Sha256)");
        return workload.IsSimulated
            ? throw new InvalidOperationException(
                $"the training workload {call} is allow-listed in {local.Code} without a file: set its Federation:Workloads Path and Sha256 (workloads/install-training.sh prints them)")
            : workload;
    }

    /// <summary>
    /// Runs <paramref name="call"/>'s program in <paramref name="directory"/> (made if missing) with <paramref name="arguments"/>.
    /// Throws <see cref="InvalidOperationException"/> when it is not allow-listed, its pin fails or it ran out of time.
    /// </summary>
    public async Task<WorkloadRun> RunAsync(WorkloadCall call, string directory, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var workload = Find(call);
        Directory.CreateDirectory(directory);
        var copy = Path.Combine(directory, CopyName);
        if (await WorkloadCatalogue.CopyVerifiedAsync(workload, copy, cancellationToken) is { } mismatch)
        {
            throw new InvalidOperationException($"refused to run: {mismatch} (Federation:Workloads Sha256 of {workload.Key})");
        }

        var o = options.Value;
        var start = new ProcessStartInfo(copy)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"the training workload {workload.Key} did not start");
        process.StandardInput.Close();
        var output = TailAsync(process.StandardOutput, o.OutputLines);
        var errors = TailAsync(process.StandardError, o.OutputLines);
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            limit.CancelAfter(o.StepTimeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                cancellationToken.ThrowIfCancellationRequested();
                throw new InvalidOperationException(
                    $"the training workload {workload.Key} ran longer than {o.StepTimeout} (Federation:Learning:StepTimeout) and was killed");
            }
        }

        return new WorkloadRun(process.ExitCode, await output, await errors);
    }

    /// <summary>Reads <paramref name="reader"/> to its end, keeping its last <paramref name="lines"/> lines (each at most 2,000 characters).</summary>
    private static async Task<IReadOnlyList<string>> TailAsync(StreamReader reader, int lines)
    {
        var kept = new Queue<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            kept.Enqueue(line.Length > 2000 ? line[..2000] + "…" : line);
            if (kept.Count > lines)
            {
                kept.Dequeue();
            }
        }

        return [.. kept];
    }
}
