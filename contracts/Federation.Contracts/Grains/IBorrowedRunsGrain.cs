using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Orleans.Concurrency;

namespace Federation.Contracts.Grains;

/// <summary>
/// The runs this nation admitted on borrowed, idle accelerators (key: <see cref="Key"/>), the reclaims under way and the
/// holds they set (docs/fair-share.md, "Reclaim"). Kept in grain storage, so every silo of the nation sees them and a
/// restart keeps them. It decides nothing: the silo's reclaimer reads it, decides with the pure rules, and marks what it
/// chose under the version it read, so that two silos never reclaim the same run or the same demand twice.
/// </summary>
[Alias("fed.IBorrowedRunsGrain"), GrainInterfaceType("fed.IBorrowedRunsGrain")]
public interface IBorrowedRunsGrain : IGrainWithStringKey
{
    /// <summary>The one key of this grain in a nation's cluster.</summary>
    const string Key = "borrowed-runs";

    /// <summary>The borrowed runs whose walltime has not run out and the holds in force, with the version they were read at. Side-effect free.</summary>
    [Alias("ReadAsync"), ReadOnly]
    Task<BorrowedRuns> ReadAsync();

    /// <summary>Remembers <paramref name="run"/>, admitted on borrowed accelerators; idempotent.</summary>
    [Alias("AddAsync")]
    Task AddAsync(BorrowedRunEntry run);

    /// <summary>
    /// Marks each of <paramref name="marks"/>' runs as reclaimed (back by its time) and adds <paramref name="hold"/>, when
    /// nothing changed since <paramref name="version"/> was read: true; false (and nothing changed) when something did.
    /// </summary>
    [Alias("ReclaimAsync")]
    Task<bool> ReclaimAsync(long version, ImmutableArray<ReclaimMark> marks, ReclaimHoldEntry hold);

    /// <summary>Forgets the run of <paramref name="holder"/> (it ended, or it was given back and released); idempotent.</summary>
    [Alias("RemoveAsync")]
    Task RemoveAsync(string holder);
}

/// <summary>A run admitted here on borrowed accelerators.</summary>
/// <param name="Holder">Its execution's key.</param>
/// <param name="Job">Its job.</param>
/// <param name="Epoch">Its epoch.</param>
/// <param name="Consortium">The consortium it runs for; null when none.</param>
/// <param name="Accelerators">Accelerators it holds.</param>
/// <param name="StartedAt">When it was admitted.</param>
/// <param name="EndsBy">When its walltime runs out.</param>
/// <param name="ReturnBy">When a reclaim under way has its accelerators back at the latest; null when it is not being reclaimed.</param>
[GenerateSerializer, Immutable, Alias("fed.BorrowedRunEntry")]
public sealed record BorrowedRunEntry(
    [property: Id(0)] string Holder,
    [property: Id(1)] JobRef Job,
    [property: Id(2)] int Epoch,
    [property: Id(3)] string? Consortium,
    [property: Id(4)] int Accelerators,
    [property: Id(5)] DateTimeOffset StartedAt,
    [property: Id(6)] DateTimeOffset EndsBy,
    [property: Id(7)] DateTimeOffset? ReturnBy);

/// <summary>A borrowed run a reclaim chose, and when its accelerators are back at the latest.</summary>
[GenerateSerializer, Immutable, Alias("fed.ReclaimMark")]
public sealed record ReclaimMark([property: Id(0)] string Holder, [property: Id(1)] DateTimeOffset ReturnBy);

/// <summary>Accelerators on their way back to work within its shares: nothing is lent until <paramref name="Until"/>.</summary>
[GenerateSerializer, Immutable, Alias("fed.ReclaimHoldEntry")]
public sealed record ReclaimHoldEntry([property: Id(0)] int Accelerators, [property: Id(1)] DateTimeOffset Until);

/// <summary>What <see cref="IBorrowedRunsGrain.ReadAsync"/> answers.</summary>
/// <param name="Version">Changes with every change; <see cref="IBorrowedRunsGrain.ReclaimAsync"/> is refused when it moved on.</param>
/// <param name="Runs">The borrowed runs, the oldest first.</param>
/// <param name="Holds">The holds in force.</param>
[GenerateSerializer, Immutable, Alias("fed.BorrowedRuns")]
public sealed record BorrowedRuns(
    [property: Id(0)] long Version,
    [property: Id(1)] ImmutableArray<BorrowedRunEntry> Runs,
    [property: Id(2)] ImmutableArray<ReclaimHoldEntry> Holds);
