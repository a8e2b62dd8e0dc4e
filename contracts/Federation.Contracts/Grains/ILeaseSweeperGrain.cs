using Orleans.Concurrency;

namespace Federation.Contracts.Grains;

/// <summary>
/// The nation's one sweeper of its lease index (key <see cref="Key"/>): a reminder (one row for the
/// whole nation) re-activates it after a restart, and its timer wakes every job and execution whose
/// entry is due, and all live ones after a silo failed, so that a grain whose silo died resumes its
/// timers without a reminder of its own.
/// </summary>
[Alias("fed.ILeaseSweeperGrain"), GrainInterfaceType("fed.ILeaseSweeperGrain")]
public interface ILeaseSweeperGrain : IGrainWithStringKey
{
    /// <summary>The key of the nation's sweeper.</summary>
    const string Key = "nation";

    /// <summary>Makes sure the sweeper's reminder exists (registers it the first time) and that it is active; idempotent.</summary>
    [Alias("StartAsync")]
    Task StartAsync();

    /// <summary>Sweeps now, as the timer does; answers how many grains were woken.</summary>
    [Alias("SweepAsync")]
    Task<int> SweepAsync();

    /// <summary>
    /// A silo of the nation failed: every live entry is woken at the sweeper's next tick (requests that
    /// arrive before it make one sweep). Answers at once, even while a sweep runs.
    /// </summary>
    [Alias("WakeAllLiveAsync"), AlwaysInterleave]
    Task WakeAllLiveAsync();
}
