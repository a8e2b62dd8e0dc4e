using System.Globalization;
using Federation.Contracts.Grains;
using Federation.Contracts.Ids;
using Federation.Contracts.Learning;
using Federation.Execution;
using Federation.Grains.Learning;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Learning;

/// <summary>
/// The <see cref="ExecutorKind.Federated"/> executor: a federated job's execution at its aggregating nation is
/// its run. Start makes the initial model (<see cref="IInitialModelSource"/>) and hands the plan to the job's
/// <see cref="IFederatedRunGrain"/>, which invites the data nations; poll maps the run to a
/// <see cref="RunStatus"/> whose progress is its completed rounds; stop stops the run.
/// </summary>
public sealed class FederatedExecutor(IGrainFactory grains, IServiceProvider services, IOptions<FederatedRunOptions> options) : IRunExecutor
{
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
            var plan = new FederatedRunPlan(request.Job, [.. contributors], terms, model.Weights, options.Value.StageTimeout) { Inputs = inputs };
            status = await run.StartAsync(plan);
        }

        return (IFederatedRunGrain.KeyOf(request.Job), StatusOf(status, terms.Rounds));
    }

    /// <inheritdoc />
    public async Task<RunStatus> PollAsync(RunRequest request, string? handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StatusOf(await Run(request.Job).GetStatusAsync(), request.Spec.Federated?.Rounds ?? 1);
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
            "succeeded" => new RunStatus(RunPhase.Succeeded, $"{status.CompletedRounds} of {rounds} rounds completed: {status.Reason}{metrics}", 0) { Progress = 1 },
            _ => new RunStatus(RunPhase.Failed, $"the federated run stopped at {where}: {status.Reason}") { Progress = progress },
        };
    }

    private IFederatedRunGrain Run(JobRef job) => grains.GetGrain<IFederatedRunGrain>(IFederatedRunGrain.KeyOf(job));
}
