namespace Federation.Grains.Jobs.Leases;

/// <summary>Timing of the lease index and its sweeper (section <c>Federation:Leases</c>), registered by the host.</summary>
/// <remarks>
/// A live grain keeps its own timer; its entry only matters when its activation is lost. A silo
/// seen to fail, or the sweeper starting (a nation restarted), wakes every live entry at once
/// (<see cref="LeaseSweeper.WakeAllLiveAsync"/>); a grain deactivated while it still has work sets its entry
/// for when that work is due. <see cref="Recheck"/> is the backstop for a loss nothing saw.
/// </remarks>
public sealed record LeaseSettings
{
    /// <summary>
    /// How long after it was written, or claimed, a live grain's entry is due: the longest a grain
    /// whose activation was lost unseen waits for its wake (plus <see cref="SweepEvery"/>).
    /// </summary>
    public TimeSpan Recheck { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long after a failed wake the sweeper tries it again.</summary>
    public TimeSpan WakeRetry { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the nation's sweeper wakes the entries that are due.</summary>
    public TimeSpan SweepEvery { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Most entries one claim takes from the index.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Most grains woken at once.</summary>
    public int Parallelism { get; init; } = 64;
}
