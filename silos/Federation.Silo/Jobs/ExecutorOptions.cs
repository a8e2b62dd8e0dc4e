namespace Federation.Silo.Jobs;

/// <summary>The simulated executor (section <c>Federation:Executor</c>).</summary>
public sealed class ExecutorOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Executor";

    /// <summary>Wall-clock seconds a simulated run takes per estimated hour.</summary>
    public double SecondsPerEstimatedHour { get; set; } = 60;

    /// <summary>Seconds between progress reports of a running job, at least.</summary>
    public double ProgressSeconds { get; set; } = 2;
}
