using Federation.Contracts.Jobs;
using Federation.Reference;

namespace Federation.Execution.Simulated;

/// <summary>
/// The simulated executor: nothing runs; the run is <see cref="SimulatedRun"/>'s model of time, read
/// from the moment it started; an ended run counts as having run its modelled time. It has no
/// handle and nothing to stop.
/// </summary>
public sealed class SimulatedExecutor(ReferenceTables reference, ExecutorSettings settings, TimeProvider time) : IRunExecutor
{
    /// <inheritdoc />
    public ExecutorKind Kind => ExecutorKind.Simulated;

    /// <inheritdoc />
    public bool Detached => false;

    /// <summary>The model of <paramref name="request"/>'s run.</summary>
    public SimulatedRun RunOf(RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SimulatedRun.For(request.Spec, request.Accelerator, reference, settings);
    }

    /// <inheritdoc />
    public Task<(string? Handle, RunStatus Status)> StartAsync(RunRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<(string?, RunStatus)>((null, new RunStatus(RunPhase.Running, "simulated") { Progress = 0 }));

    /// <inheritdoc />
    public Task<RunStatus> PollAsync(RunRequest request, string? handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.StartedAt is not { } started)
        {
            return Task.FromResult(new RunStatus(RunPhase.Pending, "not started") { Progress = 0 });
        }

        var run = RunOf(request);
        var (state, progress, message) = run.At(time.GetUtcNow() - started);
        var status = state switch
        {
            JobState.Running => new RunStatus(RunPhase.Running, message) { SteadyUntil = started + run.End },
            JobState.Succeeded => new RunStatus(RunPhase.Succeeded, message, run.ExitCode) { Ran = run.Duration },
            JobState.TimedOut => new RunStatus(RunPhase.TimedOut, message) { Ran = run.Walltime },
            _ => new RunStatus(RunPhase.Failed, message, run.ExitCode) { Ran = run.Duration },
        };
        return Task.FromResult(status with { Progress = progress });
    }

    /// <inheritdoc />
    public Task StopAsync(RunRequest request, string? handle, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The scaled hours of <paramref name="elapsed"/>, up to the run's end (its duration, or the walltime).</summary>
    public double RunHours(RunRequest request, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (elapsed <= TimeSpan.Zero || request.Accelerator == default)
        {
            return 0;
        }

        var run = RunOf(request);
        return run.RunHours(elapsed < run.End ? elapsed : run.End);
    }
}
