using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Reference;
using Federation.Routing;

namespace Federation.Execution.Simulated;

/// <summary>
/// The simulated executor's model of one run: it lasts the estimated run time on the allocated
/// accelerator, scaled by <see cref="ExecutorSettings.SecondsPerEstimatedHour"/>, and ends as the
/// workload's arguments ask (<c>simulate-fail</c>, <c>simulate-exit-code</c>) or at the walltime.
/// </summary>
/// <param name="Duration">Wall-clock duration of the whole run.</param>
/// <param name="Walltime">The walltime limit, scaled the same way.</param>
/// <param name="SecondsPerHour">The time scale: wall-clock seconds per estimated hour.</param>
/// <param name="ExitCode">The exit code it ends with (non-zero to fail).</param>
public sealed record SimulatedRun(TimeSpan Duration, TimeSpan Walltime, double SecondsPerHour, int ExitCode)
{
    /// <summary>The run of <paramref name="spec"/> on <paramref name="slug"/>.</summary>
    public static SimulatedRun For(JobSpec spec, AcceleratorSlug slug, ReferenceTables reference, ExecutorSettings settings)
    {
        var tflops = reference.FindAccelerator(slug)?.TensorTflops ?? 1;
        var acceleratorHours = new Router(reference).WorkFlops(spec.Work) / (tflops * 1e12 * 3600);
        var runHours = acceleratorHours / Math.Max(1, spec.Accelerators.Count);
        var scale = settings.SecondsPerEstimatedHour;
        var exitCode = spec.Workload.Arguments.TryGetValue("simulate-exit-code", out var code) && int.TryParse(code, out var parsed) ? parsed
            : spec.Workload.Arguments.TryGetValue("simulate-fail", out var fail) && fail == "true" ? 1
            : 0;
        return new SimulatedRun(TimeSpan.FromSeconds(runHours * scale), TimeSpan.FromSeconds(spec.Walltime.TotalHours * scale), scale, exitCode);
    }

    /// <summary>When, after its start, the run ends: at its duration, or at the walltime if that comes first.</summary>
    public TimeSpan End => Duration <= Walltime ? Duration : Walltime;

    /// <summary>Where the run is after <paramref name="elapsed"/>: still running with its progress, or finished.</summary>
    public (JobState State, double Progress, string Message) At(TimeSpan elapsed)
    {
        if (elapsed < End)
        {
            return (JobState.Running, Duration <= TimeSpan.Zero ? 1 : Math.Clamp(elapsed / Duration, 0, 1), "running");
        }

        if (Duration > Walltime)
        {
            return (JobState.TimedOut, Math.Clamp(Walltime / Duration, 0, 1), $"stopped at the walltime limit ({Walltime.TotalSeconds / SecondsPerHour * 60:0.#} min) before finishing");
        }

        return ExitCode == 0
            ? (JobState.Succeeded, 1, "finished with exit code 0")
            : (JobState.Failed, 1, $"finished with exit code {ExitCode}");
    }

    /// <summary>Estimated hours of real run time that <paramref name="elapsed"/> wall-clock time stands for.</summary>
    public double RunHours(TimeSpan elapsed) => SecondsPerHour <= 0 ? 0 : elapsed.TotalSeconds / SecondsPerHour;
}
