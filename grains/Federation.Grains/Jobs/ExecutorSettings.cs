namespace Federation.Grains.Jobs;

/// <summary>The simulated executor (section <c>Federation:Executor</c>).</summary>
public sealed record ExecutorSettings
{
    /// <summary>Wall-clock seconds a simulated run takes per hour of estimated run time (time scale).</summary>
    public double SecondsPerEstimatedHour { get; init; } = 60;

    /// <summary>How often a running job reports progress, at most.</summary>
    public TimeSpan ProgressEvery { get; init; } = TimeSpan.FromSeconds(2);
}
