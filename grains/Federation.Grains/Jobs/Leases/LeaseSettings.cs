namespace Federation.Grains.Jobs.Leases;

/// <summary>Timing of the lease index and its sweeper (section <c>Federation:Leases</c>), registered by the host.</summary>
public sealed record LeaseSettings
{
    /// <summary>
    /// How long after it was written, or last woken, an entry is due: a grain whose activation was
    /// lost is woken again within about this plus <see cref="SweepEvery"/>.
    /// </summary>
    public TimeSpan Recheck { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the nation's sweeper wakes the entries that are due.</summary>
    public TimeSpan SweepEvery { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Most entries one claim takes from the index.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Most grains woken at once.</summary>
    public int Parallelism { get; init; } = 64;
}
