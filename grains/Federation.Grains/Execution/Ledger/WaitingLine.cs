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

    private readonly Dictionary<string, Place> _line = new(StringComparer.Ordinal);

    /// <summary>A line with the <paramref name="saved"/> waiters, heard of <paramref name="now"/>.</summary>
    public WaitingLine(IEnumerable<LedgerWaiter> saved, DateTimeOffset now)
    {
        foreach (var waiter in saved)
        {
            _line[waiter.Holder] = new Place(waiter, RunOf(waiter), true, now);
        }
    }

    /// <summary>The waiters to keep with the ledger's state.</summary>
    public ImmutableSortedDictionary<string, LedgerWaiter> Saved =>
        _line.Values.Where(w => w.Saved).ToImmutableSortedDictionary(w => w.Waiter.Holder, w => w.Waiter, StringComparer.Ordinal);

    /// <summary>True when <paramref name="holder"/> is in line.</summary>
    public bool Contains(string holder) => _line.ContainsKey(holder);

    /// <summary>
    /// Puts <paramref name="holder"/> in line with <paramref name="claim"/> or refreshes it; the snapshot as it sees it.
    /// <paramref name="mustSave"/>: the line to keep changed (it had to wait for the first time, or what it waits for changed).
    /// </summary>
    public CapacitySnapshot Join(string holder, WaitClaim claim, CapacitySnapshot snapshot, DateTimeOffset now, out bool mustSave)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(snapshot);
        var had = _line.TryGetValue(holder, out var known);
        var waiter = had ? known!.Waiter with { Claim = claim } : new LedgerWaiter(holder, claim, now);
        var place = new Place(waiter, had && SameClaim(known!.Waiter.Claim, claim) ? known.Run : RunOf(waiter), had && known!.Saved, now);
        _line[holder] = place;
        var seen = Seen(holder, snapshot, now);
        var waits = !claim.Models.Any(m => seen.Agents.FirstOrDefault(a => a.Slug == m) is { } line && line.Free >= claim.Count);
        var changed = had && known!.Saved && (known.Waiter.Claim.Band != claim.Band || known.Waiter.Claim.Count != claim.Count || !known.Waiter.Claim.Models.SequenceEqual(claim.Models));
        mustSave = changed || (waits && !(had && known!.Saved));
        if (mustSave)
        {
            _line[holder] = place with { Saved = true };
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
    public int FreeFor(string holder, string model, int free, DateTimeOffset now)
    {
        if (!_line.TryGetValue(holder, out var me))
        {
            return free;
        }

        var ahead = 0;
        foreach (var other in _line.Values)
        {
            if (Heard(other, now) && other.Run.Holder != holder && Uses(other.Run, model) && WaitingOrder.Before(other.Run, me.Run))
            {
                ahead += other.Run.Accelerators;
            }
        }

        return Math.Max(0, free - ahead);
    }

    /// <summary>The snapshot as <paramref name="holder"/> sees it: each model's free count less what the runs ahead of it want, and how many runs are ahead of it.</summary>
    public CapacitySnapshot Seen(string holder, CapacitySnapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!_line.TryGetValue(holder, out var me))
        {
            return snapshot with { Ahead = 0 };
        }

        // One pass over the line: what the heard runs ranked ahead want of each model, and how many of them share a model with it.
        var run = me.Run;
        var wants = new Dictionary<string, int>(StringComparer.Ordinal);
        var ahead = 0;
        foreach (var other in _line.Values)
        {
            if (!Heard(other, now) || other.Run.Holder == holder || !WaitingOrder.Before(other.Run, run))
            {
                continue;
            }

            var shares = false;
            foreach (var model in other.Run.Models)
            {
                wants[model] = wants.GetValueOrDefault(model) + other.Run.Accelerators;
                shares |= Uses(run, model);
            }

            ahead += shares ? 1 : 0;
        }

        return snapshot with { Agents = [.. snapshot.Agents.Select(a => a with { Free = Math.Max(0, a.Free - wants.GetValueOrDefault(a.Slug.Value)) })], Ahead = ahead };
    }

    /// <summary>The runs in line, first first, with whether each has been heard of lately.</summary>
    public ImmutableArray<WaitingRun> Ordered(DateTimeOffset now) => WaitingOrder.Order(_line.Values.Where(w => Heard(w, now)).Select(w => w.Run));

    /// <summary>
    /// The runs to wake now that <paramref name="snapshot"/> is free: in line order, those that may take what they want
    /// (what is free less what the runs ranked ahead of them that can use the same model want), at most <paramref name="most"/>.
    /// </summary>
    public IReadOnlyList<string> Wakeable(CapacitySnapshot snapshot, DateTimeOffset now, int most)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var free = snapshot.Agents.Where(a => a.Free > 0).ToDictionary(a => a.Slug.Value, a => a.Free, StringComparer.Ordinal);
        var woken = new List<string>();
        if (free.Count == 0 || _line.Count == 0)
        {
            return woken;
        }

        foreach (var run in Ordered(now))
        {
            if (woken.Count >= most || free.Values.All(f => f <= 0))
            {
                break;
            }

            if (run.Models.Any(m => free.GetValueOrDefault(m) >= run.Accelerators))
            {
                woken.Add(run.Holder);
            }

            foreach (var model in run.Models.Where(free.ContainsKey))
            {
                free[model] -= run.Accelerators;
            }
        }

        return woken;
    }

    private static bool Heard(Place place, DateTimeOffset now) => now - place.Seen <= Silent;

    private static bool Uses(WaitingRun run, string model)
    {
        foreach (var m in run.Models)
        {
            if (string.Equals(m, model, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameClaim(WaitClaim a, WaitClaim b) =>
        a.Band == b.Band && a.Count == b.Count && a.Priority.Equals(b.Priority) && a.Models.SequenceEqual(b.Models);

    private static WaitingRun RunOf(LedgerWaiter waiter) =>
        new(waiter.Holder, [.. waiter.Claim.Models.Select(m => m.Value)], waiter.Claim.Count, new WaitRank(waiter.Claim.Band, waiter.Claim.Priority), waiter.Arrived);

    /// <summary>A run in line: what it told last (and its run, built once per claim), whether it is kept with the state, when it was last heard of.</summary>
    private sealed record Place(LedgerWaiter Waiter, WaitingRun Run, bool Saved, DateTimeOffset Seen);
}
