namespace Federation.Execution;

/// <summary>An executor's view of a run.</summary>
/// <param name="Phase">Where it is.</param>
/// <param name="Reason">Why, for people (e.g. Slurm's pending reason, the exit code).</param>
/// <param name="ExitCode">The workload's exit code, once it ended.</param>
public sealed record RunStatus(RunPhase Phase, string Reason, int? ExitCode = null)
{
    /// <summary>How far the run is, 0 to 1, when the executor knows (the simulated one does); null otherwise.</summary>
    public double? Progress { get; init; }

    /// <summary>How long the run counts as having run, when the executor knows better than the wall clock (a simulated run ends at its modelled end); null otherwise.</summary>
    public TimeSpan? Ran { get; init; }

    /// <summary>
    /// Until when the run will not change on its own (a simulated run: until its modelled end), so
    /// that polling it sooner can only learn its progress; null when the executor cannot know (a real
    /// run can end at any moment).
    /// </summary>
    public DateTimeOffset? SteadyUntil { get; init; }

    /// <summary>True once the run ended, however.</summary>
    public bool Ended => Phase is not (RunPhase.Pending or RunPhase.Running);

    /// <summary>The status of a run that ended with <paramref name="exitCode"/> (124 is the walltime's <c>timeout</c>).</summary>
    public static RunStatus Exited(int exitCode, int walltimeSeconds) => exitCode switch
    {
        0 => new RunStatus(RunPhase.Succeeded, "finished with exit code 0", 0),
        124 => new RunStatus(RunPhase.TimedOut, $"stopped at the walltime limit ({walltimeSeconds / 60.0:0.#} min) before finishing", exitCode),
        _ => new RunStatus(RunPhase.Failed, $"finished with exit code {exitCode}", exitCode),
    };
}
