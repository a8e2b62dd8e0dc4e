using System.Collections.Immutable;
using Federation.Contracts.Jobs;
using Federation.Lifecycle.Executions;

namespace Federation.Grains.Execution.Ledger;

/// <summary>
/// Which of the capacity ledger's entries are checked against their holders, a batch at a time. An entry
/// whose release was lost (the ledger did not answer any of the execution's attempts, or the silo stopped
/// between the write of the run's ending and the release) would otherwise keep its accelerators held for
/// ever. Entries younger than <paramref name="minimumAge"/> are left alone (their runs release them);
/// the others are taken in holder order from where the last batch stopped, round and round.
/// </summary>
/// <param name="minimumAge">How long an entry is held before its holder is asked about it.</param>
/// <param name="batch">The most holders asked about at once.</param>
public sealed class HolderAudit(TimeSpan minimumAge, int batch)
{
    /// <summary>The most holders the ledger asks about in one round.</summary>
    public const int Batch = 256;

    private const string ExecutionPrefix = "exec-";

    private string? _after;

    /// <summary>The next batch of holders to ask about, among <paramref name="entries"/> at <paramref name="now"/>.</summary>
    public IReadOnlyList<string> Next(ImmutableSortedDictionary<string, LedgerEntry> entries, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var heldBefore = now - minimumAge;
        var picked = new List<string>();
        for (var pass = 0; pass < (_after is null ? 1 : 2); pass++)
        {
            foreach (var (holder, entry) in entries)
            {
                var afterCursor = _after is null || string.CompareOrdinal(holder, _after) > 0;
                if (afterCursor != (pass == 0) || entry.Since > heldBefore || !holder.StartsWith(ExecutionPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                picked.Add(holder);
                if (picked.Count == batch)
                {
                    _after = holder;
                    return picked;
                }
            }
        }

        _after = null;
        return picked;
    }

    /// <summary>
    /// True when what a holder holds may be released, by the state of its execution's record: null when it was never
    /// offered here; over when its ending is written (what it held was given back, or should have been, before its
    /// bill). An execution not over may still use its accelerators, or be about to take them.
    /// </summary>
    public static bool Releasable(JobState? state) => state is not { } known || ExecutionState.IsOver(known);
}
