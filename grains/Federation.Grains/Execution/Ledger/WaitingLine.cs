using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Grains;
using Federation.Lifecycle.Shares;

namespace Federation.Grains.Execution.Ledger;

/// <summary>
/// The runs in line for the ledger's accelerators, ordered by <see cref="WaitingOrder"/>. A run is kept
/// with the ledger's state once it has had to wait (so that its place survives a restart and every silo
/// of the nation sees it); one that finds what it wants free is only remembered in memory until it
/// allocates. A run not heard of for <see cref="Silent"/> (its execution is gone or not yet back after a
/// restart) is passed over, and forgotten after <see cref="Forgotten"/>.
/// </summary>
public sealed class WaitingLine
{
    /// <summary>How long a run may go without telling before it is passed over (its place is kept).</summary>
    public static readonly TimeSpan Silent = TimeSpan.FromSeconds(10);

    /// <summary>How long a run may go without telling before it leaves the line.</summary>
    public static readonly TimeSpan Forgotten = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, (LedgerWaiter Waiter, bool Saved, DateTimeOffset Seen)> _line = new(StringComparer.Ordinal);

    /// <summary>A line with the <paramref name="saved"/> waiters, heard of <paramref name="now"/>.</summary>
    public WaitingLine(IEnumerable<LedgerWaiter> saved, DateTimeOffset now)
    {
        foreach (var waiter in saved)
        {
            _line[waiter.Holder] = (waiter, true, now);
        }
    }

    /// <summary>The waiters to keep with the ledger's state.</summary>
    public ImmutableSortedDictionary<string, LedgerWaiter> Saved =>
        _line.Values.Where(w => w.Saved).ToImmutableSortedDictionary(w => w.Waiter.Holder, w => w.Waiter, StringComparer.Ordinal);

    /// <summary>
    /// Puts <paramref name="holder"/> in line with <paramref name="claim"/> or refreshes it; the snapshot as it sees it.
    /// <paramref name="mustSave"/>: the line to keep changed (it had to wait for the first time, or what it waits for changed).
    /// </summary>
    public CapacitySnapshot Join(string holder, WaitClaim claim, CapacitySnapshot snapshot, DateTimeOffset now, out bool mustSave)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(snapshot);
        var had = _line.TryGetValue(holder, out var known);
        var waiter = had ? known.Waiter with { Claim = claim } : new LedgerWaiter(holder, claim, now);
        _line[holder] = (waiter, had && known.Saved, now);
        var seen = Seen(holder, snapshot, now);
        var waits = !claim.Models.Any(m => seen.Agents.FirstOrDefault(a => a.Slug == m) is { } line && line.Free >= claim.Count);
        var changed = had && known.Saved && (known.Waiter.Claim.Band != claim.Band || known.Waiter.Claim.Count != claim.Count || !known.Waiter.Claim.Models.SequenceEqual(claim.Models));
        mustSave = changed || (waits && !(had && known.Saved));
        if (mustSave)
        {
            _line[holder] = (waiter, true, now);
        }

        return seen;
    }

    /// <summary>Takes <paramref name="holder"/> out of the line; true when it was kept with the state.</summary>
    public bool Leave(string holder) => _line.Remove(holder, out var gone) && gone.Saved;

    /// <summary>Forgets the runs not heard of for <see cref="Forgotten"/>; true when one kept with the state went.</summary>
    public bool Prune(DateTimeOffset now)
    {
        var saved = false;
        foreach (var (holder, entry) in _line.Where(w => now - w.Value.Seen > Forgotten).ToList())
        {
            _line.Remove(holder);
            saved |= entry.Saved;
        }

        return saved;
    }

    /// <summary>The accelerators of <paramref name="model"/> that <paramref name="holder"/> may take of <paramref name="free"/>; all of them when it is not in line.</summary>
    public int FreeFor(string holder, string model, int free, DateTimeOffset now) =>
        _line.TryGetValue(holder, out var entry) ? WaitingOrder.FreeFor(Run(entry.Waiter), model, free, Heard(now)) : free;

    /// <summary>The snapshot as <paramref name="holder"/> sees it: each model's free count less what the runs ahead of it want, and how many runs are ahead of it.</summary>
    public CapacitySnapshot Seen(string holder, CapacitySnapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var ahead = _line.TryGetValue(holder, out var entry) ? WaitingOrder.Ahead(Run(entry.Waiter), Heard(now)) : 0;
        return snapshot with { Agents = [.. snapshot.Agents.Select(a => a with { Free = FreeFor(holder, a.Slug.Value, a.Free, now) })], Ahead = ahead };
    }

    /// <summary>The runs in line, first first, with whether each has been heard of lately.</summary>
    public ImmutableArray<WaitingRun> Ordered(DateTimeOffset now) => WaitingOrder.Order(Heard(now));

    private IEnumerable<WaitingRun> Heard(DateTimeOffset now) =>
        _line.Values.Where(w => now - w.Seen <= Silent).Select(w => Run(w.Waiter));

    private static WaitingRun Run(LedgerWaiter waiter) =>
        new(waiter.Holder, [.. waiter.Claim.Models.Select(m => m.Value)], waiter.Claim.Count, new WaitRank(waiter.Claim.Band, waiter.Claim.Priority), waiter.Arrived);
}
