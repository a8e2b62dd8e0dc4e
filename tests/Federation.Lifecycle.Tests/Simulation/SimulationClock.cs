namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// The virtual time of a simulated run: it moves only when the scheduler takes the next event, so a
/// run of hours of protocol time takes milliseconds and no thread ever waits.
/// </summary>
public sealed class SimulationClock
{
    /// <summary>Where every run's time starts (any fixed instant does; this one reads well in traces).</summary>
    public static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Time since <see cref="Start"/>.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>The true time now.</summary>
    public DateTimeOffset Now => Start + Elapsed;

    /// <summary>Moves time forward to <paramref name="elapsed"/>; time never goes back.</summary>
    public void AdvanceTo(TimeSpan elapsed)
    {
        if (elapsed < Elapsed)
        {
            throw new InvalidOperationException($"The simulation clock cannot go back from {Elapsed} to {elapsed}.");
        }

        Elapsed = elapsed;
    }
}
