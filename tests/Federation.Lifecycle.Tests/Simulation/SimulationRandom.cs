namespace Federation.Lifecycle.Tests.Simulation;

/// <summary>
/// The one source of randomness of a simulated run: xoshiro256** seeded through SplitMix64, so that
/// a seed decides every choice (delays, drops, crashes, workload) on every platform and runtime
/// version (<see cref="Random"/>'s seeded algorithm is not promised to stay the same).
/// </summary>
public sealed class SimulationRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public SimulationRandom(long seed)
    {
        var x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A number in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(NextUInt64() % (ulong)maxExclusive);
    }

    /// <summary>A number in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    /// <summary>A number in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    public bool Chance(double probability) => probability > 0 && NextDouble() < probability;

    /// <summary>A duration in [<paramref name="min"/>, <paramref name="max"/>], to the tick.</summary>
    public TimeSpan Between(TimeSpan min, TimeSpan max)
    {
        if (max <= min)
        {
            return min;
        }

        var span = (ulong)(max.Ticks - min.Ticks) + 1;
        return TimeSpan.FromTicks(min.Ticks + (long)(NextUInt64() % span));
    }

    /// <summary>One element of <paramref name="items"/>.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>
    /// An independent generator drawn from this one: parts of a run that draw a varying number of
    /// values (the workload, the fault plan) get their own, so that one part's draws do not shift another's.
    /// </summary>
    public SimulationRandom Fork() => new(unchecked((long)NextUInt64()));

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
