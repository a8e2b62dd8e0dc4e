using System.Collections.Immutable;
using Federation.Contracts.Grains;

namespace Federation.Grains.Shares;

/// <summary>
/// The borrowed runs, reclaims and holds of this nation (see <see cref="IBorrowedRunsGrain"/>): every change is written to
/// the jobs' storage before it is answered, and a failed write leaves the state as it was. Runs whose walltime ran out and
/// holds that ended are dropped as time passes.
/// </summary>
[GrainType("borrowed-runs")]
public sealed class BorrowedRunsGrain(
    [PersistentState("borrowed-runs", GrainStorageNames.Jobs)] IPersistentState<BorrowedRunsState> state,
    TimeProvider time)
    : Grain, IBorrowedRunsGrain
{
    /// <inheritdoc />
    public Task<BorrowedRuns> ReadAsync()
    {
        var now = time.GetUtcNow();
        var current = state.State;
        return Task.FromResult(new BorrowedRuns(
            current.Version,
            [.. current.Runs.Values.Where(r => r.EndsBy > now).OrderBy(r => r.StartedAt).ThenBy(r => r.Holder, StringComparer.Ordinal)],
            [.. current.Holds.Where(h => h.Until > now)]));
    }

    /// <inheritdoc />
    public Task AddAsync(BorrowedRunEntry run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return state.State.Runs.ContainsKey(run.Holder) || run.EndsBy <= time.GetUtcNow()
            ? Task.CompletedTask
            : ChangeAsync(runs => runs.Add(run.Holder, run), holds => holds);
    }

    /// <inheritdoc />
    public async Task<bool> ReclaimAsync(long version, ImmutableArray<ReclaimMark> marks, ReclaimHoldEntry hold)
    {
        ArgumentNullException.ThrowIfNull(hold);
        if (version != state.State.Version)
        {
            return false;
        }

        var chosen = marks.IsDefault ? [] : marks;
        await ChangeAsync(
            runs => chosen.Where(m => runs.ContainsKey(m.Holder)).Aggregate(runs, (all, m) => all.SetItem(m.Holder, all[m.Holder] with { ReturnBy = m.ReturnBy })),
            holds => hold.Accelerators > 0 ? holds.Add(hold) : holds);
        return true;
    }

    /// <inheritdoc />
    public Task RemoveAsync(string holder)
    {
        ArgumentNullException.ThrowIfNull(holder);
        return state.State.Runs.ContainsKey(holder) ? ChangeAsync(runs => runs.Remove(holder), holds => holds) : Task.CompletedTask;
    }

    private async Task ChangeAsync(
        Func<ImmutableSortedDictionary<string, BorrowedRunEntry>, ImmutableSortedDictionary<string, BorrowedRunEntry>> runs,
        Func<ImmutableArray<ReclaimHoldEntry>, ImmutableArray<ReclaimHoldEntry>> holds)
    {
        var now = time.GetUtcNow();
        var before = state.State;
        var kept = before.Runs.Where(r => r.Value.EndsBy > now).ToImmutableSortedDictionary(StringComparer.Ordinal);
        state.State = new BorrowedRunsState
        {
            Version = before.Version + 1,
            Runs = runs(kept),
            Holds = holds([.. before.Holds.Where(h => h.Until > now)]),
        };

        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            state.State = before;
            throw;
        }
    }
}

/// <summary>Persistent state of <see cref="BorrowedRunsGrain"/>.</summary>
[GenerateSerializer, Immutable, Alias("fed.BorrowedRunsState")]
public sealed record BorrowedRunsState
{
    /// <summary>Moves on with every change.</summary>
    [Id(0)] public long Version { get; init; }

    /// <summary>The borrowed runs, by holder.</summary>
    [Id(1)] public ImmutableSortedDictionary<string, BorrowedRunEntry> Runs { get; init; } = ImmutableSortedDictionary.Create<string, BorrowedRunEntry>(StringComparer.Ordinal);

    /// <summary>The holds set by reclaims.</summary>
    [Id(2)] public ImmutableArray<ReclaimHoldEntry> Holds { get; init; } = [];
}
