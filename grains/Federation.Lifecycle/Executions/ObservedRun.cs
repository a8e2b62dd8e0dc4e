namespace Federation.Lifecycle.Executions;

/// <summary>A run as its executor saw it.</summary>
/// <param name="Phase">Where the run is.</param>
/// <param name="Reason">A sentence about it.</param>
/// <param name="ExitCode">The exit code, once ended.</param>
/// <param name="Progress">The fraction done, when the executor knows it (the simulated one does).</param>
/// <param name="Ran">How long the run counts as having run, when the executor knows better than the wall clock.</param>
/// <param name="SteadyUntil">Until when the run will not change on its own, when the executor knows (a simulated run: its modelled end).</param>
public sealed record ObservedRun(ObservedPhase Phase, string Reason, int? ExitCode = null, double? Progress = null, TimeSpan? Ran = null, DateTimeOffset? SteadyUntil = null)
{
    /// <summary>True once the run is over.</summary>
    public bool Ended => Phase is not (ObservedPhase.Pending or ObservedPhase.Running);
}
