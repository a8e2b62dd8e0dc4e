using System.Globalization;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Contracts.Learning;
using Federation.Execution;
using Federation.Grains.Learning;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Learning;

/// <summary>
/// The <see cref="ExecutorKind.Federated"/> executor: a federated job's execution at its aggregating nation is
/// its run. Start makes the initial model (<see cref="IInitialModelSource"/>) and hands the plan to the job's
/// <see cref="IFederatedRunGrain"/>, which invites the data nations; poll maps the run to a
/// <see cref="RunStatus"/> whose progress is its completed rounds, and once the run succeeded writes its final
/// global model into the job's work directory (<see cref="ModelDirectory"/>: <c>weights.f32</c> and
/// <c>weights.json</c>, the workload's format), where it stays in this nation; stop stops the run.
/// </summary>
public sealed class FederatedExecutor(IGrainFactory grains, IServiceProvider services, IOptions<FederatedRunOptions> options) : IRunExecutor
{
    /// <summary>The folder of a job's work directory (<c>&lt;WorkRoot&gt;/&lt;origin&gt;/&lt;id&gt;</c>) that holds the final model of its run.</summary>
    public const string ModelFolder = "model";

    /// <inheritdoc />
    public ExecutorKind Kind => ExecutorKind.Federated;

    /// <inheritdoc />
    public bool Detached => true;

    /// <inheritdoc />
    public async Task<(string? Handle, RunStatus Status)> StartAsync(RunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var terms = request.Spec.Federated
            ?? throw new InvalidOperationException($"job {request.Job} has no federated terms: the federated executor runs only federated jobs");
        var run = Run(request.Job);
        var status = await run.GetStatusAsync();
        if (status.Phase == "none")
        {
            // Adopted when the run exists (a silo died between starting it and recording the start): never two runs.
            var source = services.GetService<IInitialModelSource>()
                ?? throw new InvalidOperationException("no initial model source is configured in this nation: it cannot aggregate federated jobs");
            var model = await source.CreateAsync(request.Job, terms, cancellationToken);
            var inputs = request.Spec.Inputs.IsDefault ? [] : request.Spec.Inputs;
            var contributors = inputs.Select(i => i.Nation).Distinct().OrderBy(n => n.Value, StringComparer.Ordinal).ToArray();
            var plan = new FederatedRunPlan(request.Job, [.. contributors], terms, model.Weights, options.Value.StageTimeout)
            {
                Inputs = inputs, Purpose = request.Spec.Purpose, Owner = request.Spec.Owner,
            };
            status = await run.StartAsync(plan);
        }

        return (IFederatedRunGrain.KeyOf(request.Job), StatusOf(status, terms.Rounds));
    }

    /// <inheritdoc />
    public async Task<RunStatus> PollAsync(RunRequest request, string? handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = Run(request.Job);
        var status = StatusOf(await run.GetStatusAsync(), request.Spec.Federated?.Rounds ?? 1);
        if (status.Phase == RunPhase.Succeeded && request.Spec.Federated is { } terms)
        {
            var directory = ModelDirectory(request.Job);
            var kept = directory is null
                ? "the final model stays in the aggregating nation's run (it has no executor work root to write it to)"
                : $"the final model stays in the aggregating nation ({ModelFolder}/weights.f32 of the job's work directory)";
            if (directory is not null && !File.Exists(Path.Combine(directory, "weights.f32")))
            {
                try
                {
                    await WriteModelAsync(request.Job, terms, await run.GetGlobalWeightsAsync(), directory, cancellationToken);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
                {
                    // The run succeeded all the same: its grain still holds the weights (GetGlobalWeightsAsync), and the job says why the file is missing.
                    kept = $"the final model could not be written in the aggregating nation: {e.Message}";
                }
            }

            if (directory is not null && File.Exists(Path.Combine(directory, "weights.f32")) && services.GetService<FederatedModelRegistrar>() is { } registrar)
            {
                var (model, problem) = await registrar.RegisterAsync(request.Job, request.Spec, Path.Combine(directory, "weights.f32"), cancellationToken);
                kept += model is not null ? $"; registered as model {model} in the aggregating nation's registry" : $"; {problem}";
            }

            status = status with { Reason = $"{status.Reason}; {kept}" };
        }

        return status;
    }

    /// <summary>Where the final model of <paramref name="job"/>'s run is written in this nation; null without an executor work root.</summary>
    public string? ModelDirectory(JobRef job) =>
        services.GetService<ExecutorSettings>() is { WorkRoot: { Length: > 0 } root } ? Path.Combine(root, job.Origin.Value, job.Id, ModelFolder) : null;

    private async Task WriteModelAsync(JobRef job, FederatedSpec terms, System.Collections.Immutable.ImmutableArray<double> weights, string directory, CancellationToken cancellationToken)
    {
        var source = services.GetService<IInitialModelSource>()
            ?? throw new InvalidOperationException("no initial model source is configured in this nation: the final model's layout is unknown");
        var layout = (await source.CreateAsync(job, terms, cancellationToken)).LayoutJson;
        var (bytes, header) = Federation.Learning.Run.LocalStepFiles.Write(weights, layout, 0);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "weights.json"), header, cancellationToken);

        // The weights last: their presence says the model is whole.
        var partial = Path.Combine(directory, "weights.f32.partial");
        await File.WriteAllBytesAsync(partial, bytes, cancellationToken);
        File.Move(partial, Path.Combine(directory, "weights.f32"), overwrite: true);
    }

    /// <summary>
    /// The bill of a federated run with its model: the model it registered here (when it did) with the final validation
    /// metrics, and the contributors' local steps' energy and emissions added to what this nation billed.
    /// </summary>
    public async Task<JobResult> CompleteAsync(RunRequest request, JobResult billed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(billed);
        if (request.Spec.Federated is not { } terms)
        {
            return billed;
        }

        var name = FederatedModelSpec.NameOf(request.Job, terms);
        var model = await grains.GetGrain<Federation.Contracts.Grains.IModelArtifactGrain>(name.GrainKey).GetAsync();
        var lineage = await Run(request.Job).GetLineageAsync();
        if (lineage is null)
        {
            return billed;
        }

        var steps = lineage.Steps.IsDefault ? [] : lineage.Steps;
        return billed with
        {
            Model = model?.Spec.Lineage.ProducingJob == request.Job ? name : null,
            ValidationAccuracy = lineage.ValidationAccuracy,
            ValidationLoss = lineage.ValidationLoss,
            EnergyKwh = (billed.EnergyKwh ?? 0) + steps.Sum(s => s.EnergyKwh),
            EmissionsGco2e = (billed.EmissionsGco2e ?? 0) + steps.Sum(s => s.EmissionsGco2e),
        };
    }

    /// <inheritdoc />
    public Task StopAsync(RunRequest request, string? handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(request.Job).StopAsync($"its execution (epoch {request.Epoch}) was stopped");
    }

    /// <inheritdoc />
    public double RunHours(RunRequest request, TimeSpan elapsed) => elapsed.TotalHours;

    /// <summary>The executor's view of a run of <paramref name="rounds"/> rounds that stands at <paramref name="status"/>.</summary>
    public static RunStatus StatusOf(FederatedRunStatus status, int rounds)
    {
        ArgumentNullException.ThrowIfNull(status);
        var progress = rounds > 0 ? Math.Clamp((double)status.CompletedRounds / rounds, 0, 1) : 0;
        var where = string.Create(CultureInfo.InvariantCulture, $"round {Math.Max(status.Round, 1)} of {rounds} (attempt {status.Attempt})");
        var metrics = status.ValidationAccuracy is { } accuracy
            ? string.Create(CultureInfo.InvariantCulture, $"; validation accuracy {accuracy:0.####}, loss {status.ValidationLoss:0.####}")
            : "";
        return status.Phase switch
        {
            "none" => new RunStatus(RunPhase.Lost, $"no federated run of {status.Job} is held here"),
            "awaitingContributors" => new RunStatus(RunPhase.Running, $"awaiting contributors: {status.Reason}") { Progress = 0 },
            "running" or "waiting" => new RunStatus(RunPhase.Running, $"{where}: {status.Reason ?? "running"}") { Progress = progress },
            "succeeded" => new RunStatus(RunPhase.Succeeded, $"{status.CompletedRounds} of {rounds} rounds completed: {status.Reason?.TrimEnd('.')}{metrics}", 0) { Progress = 1 },
            _ => new RunStatus(RunPhase.Failed, $"the federated run stopped at {where}: {status.Reason}") { Progress = progress },
        };
    }

    private IFederatedRunGrain Run(JobRef job) => grains.GetGrain<IFederatedRunGrain>(IFederatedRunGrain.KeyOf(job));
}
