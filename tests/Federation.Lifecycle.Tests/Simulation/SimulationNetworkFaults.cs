namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// How the simulated network misbehaves between two different nations (a nation's messages to itself
/// are never dropped or duplicated). Reordering comes from independent delays: a copy that is
/// <see cref="Slow"/> is overtaken by later ones.
/// </summary>
public sealed record SimulationNetworkFaults
{
    /// <summary>A calm network: no loss, no duplicates, short delays (the settling phase of every run).</summary>
    public static readonly SimulationNetworkFaults Calm = new();

    /// <summary>Probability that a message is lost.</summary>
    public double Drop { get; init; }

    /// <summary>Probability that a delivered message arrives twice.</summary>
    public double Duplicate { get; init; }

    /// <summary>Probability that a copy is slow (delayed up to <see cref="SlowDelay"/>).</summary>
    public double Slow { get; init; }

    /// <summary>
    /// With batching on, probability that one entry of a batch that arrives is lost alone (answered with its
    /// own problem, so its sender sends it again); 0 when messages travel one per request.
    /// </summary>
    public double EntryLoss { get; init; }

    /// <summary>The shortest delay of a copy.</summary>
    public TimeSpan MinDelay { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest delay of a copy that is not slow.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay of a slow copy.</summary>
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Faults for one seed, each up to its maximum in <paramref name="max"/> (swarm testing: some seeds calm, some wild).</summary>
    public static SimulationNetworkFaults Draw(SimulationRandom random, SimulationNetworkFaults max) => max with
    {
        Drop = Level(random, max.Drop),
        Duplicate = Level(random, max.Duplicate),
        Slow = Level(random, max.Slow),

        // Drawn only when batching can lose entries, so that runs without it replay as before.
        EntryLoss = max.EntryLoss > 0 ? Level(random, max.EntryLoss) : 0,
    };

    private static double Level(SimulationRandom random, double max) => random.Next(4) switch
    {
        0 => 0,
        1 => max / 4,
        2 => max / 2,
        _ => max,
    };
}
