namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// One nation's clock in a simulated run: the virtual time plus the nation's fixed skew (within the
/// run's documented bound, <see cref="SimulationOptions.MaxClockSkew"/>). Skewed clocks tick at the same
/// rate; only their readings differ. Timers are refused: the harness schedules ticks itself.
/// </summary>
public sealed class SimulationTimeProvider(SimulationClock clock, TimeSpan skew) : TimeProvider
{
    /// <summary>How far this nation's clock is ahead (positive) or behind (negative) the true time.</summary>
    public TimeSpan Skew { get; } = skew;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => clock.Now + Skew;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp() => clock.Elapsed.Ticks;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        throw new NotSupportedException("A simulated nation has no timers of its own: the harness delivers ticks through its scheduler.");
}
