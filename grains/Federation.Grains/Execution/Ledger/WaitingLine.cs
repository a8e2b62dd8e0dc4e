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
/// <remarks>
/// The ledger asks the line about every run that waits or allocates, so at saturation the line holds every run between
/// the two calls and a pass over it per call would cost the ledger's one thread the square of its queue. The common
/// case is answered from totals kept as runs come and go: when every run was heard of lately and the one asking ranks
/// last (the newest arrival among equal ranks), everyone else is ahead of it. Otherwise the line is passed over as
/// before; <c>SeenByPass</c> and <c>FreeForByPass</c> are that pass, and tests hold the two to the same answers.
/// </remarks>
public sealed class WaitingLine
{
    /// <summary>How long a run may go without telling before it is passed over (its place is kept).</summary>
    public static readonly TimeSpan Silent = TimeSpan.FromSeconds(10);

    /// <summary>How long a run may go without telling before it leaves the line.</summary>
    public static readonly TimeSpan Forgotten = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, Place> _line = new(StringComparer.Ordinal);

    // Per model, what the runs in line that can use it want (accelerators) and how many they are, heard of or not.
    private readonly Dictionary<string, (int Accelerators, int Runs)> _totals = new(StringComparer.Ordinal);

    // Runs that name a model twice: the totals would count them otherwise than a pass does, so none may use them.
    private int _irregular;

    // The run ranked last, when known (null when the line is empty); unknown once that run left.
    private Place? _last;
    private bool _lastKnown = true;

    // No run in line was last heard of before this (a bound, not always the earliest), and when it was last made exact.
    private DateTimeOffset _heardSince = DateTimeOffset.MaxValue;
    private DateTimeOffset _heardSinceExactAt = DateTimeOffset.MinValue;

    /// <summary>A line with the <paramref name="saved"/> waiters, heard of <paramref name="now"/>.</summary>
    public WaitingLine(IEnumerable<LedgerWaiter> saved, DateTimeOffset now)
    {
        foreach (var waiter in saved)
        {
            Put(new Place(waiter, RunOf(waiter), true, now));
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
        Put(place);
        var seen = Seen(holder, snapshot, now);
        var waits = !claim.Models.Any(m => seen.Agents.FirstOrDefault(a => a.Slug == m) is { } line && line.Free >= claim.Count);
        var changed = had && known!.Saved && (known.Waiter.Claim.Band != claim.Band || known.Waiter.Claim.Count != claim.Count || !known.Waiter.Claim.Models.SequenceEqual(claim.Models));
        mustSave = changed || (waits && !(had && known!.Saved));
        if (mustSave)
        {
            Put(place with { Saved = true });
        }

        return seen;
    }

    /// <summary>Takes <paramref name="holder"/> out of the line; true when it was kept with the state.</summary>
    public bool Leave(string holder) => Drop(holder) is { Saved: true };

    /// <summary>Forgets the runs not heard of for <see cref="Forgotten"/>; true when one kept with the state went.</summary>
    public bool Prune(DateTimeOffset now)
    {
        if (now - _heardSince <= Forgotten)
        {
            return false; // every run was heard of since
        }

        var saved = false;
        foreach (var (holder, entry) in _line.Where(w => now - w.Value.Seen > Forgotten).ToList())
        {
            Drop(holder);
            saved |= entry.Saved;
        }

        _heardSince = _line.Count == 0 ? DateTimeOffset.MaxValue : _line.Values.Min(w => w.Seen);
        return saved;
    }

    /// <summary>The accelerators of <paramref name="model"/> that <paramref name="holder"/> may take of <paramref name="free"/>; all of them when it is not in line.</summary>
    public int FreeFor(string holder, string model, int free, DateTimeOffset now)
    {
        if (!_line.TryGetValue(holder, out var me))
        {
            return free;
        }

        if (AllAheadOf(me, now))
        {
            return Math.Max(0, free - WantedByOthers(me, model));
        }

        return FreeForByPass(holder, model, free, now);
    }

    /// <summary>
    /// True when <paramref name="holder"/> may take <paramref name="count"/> of <paramref name="model"/>'s <paramref name="free"/>
    /// accelerators: when <see cref="FreeFor"/> leaves it that many. A run that allocates has usually been joined by
    /// others since it asked, so it seldom ranks last; but what every other run in line wants of the model bounds what
    /// those ahead of it want, and while what is free covers that bound too the answer needs no pass.
    /// </summary>
    public bool MayTake(string holder, string model, int count, int free, DateTimeOffset now)
    {
        if (!_line.TryGetValue(holder, out var me))
        {
            return free >= count;
        }

        // The totals count a run once per time it names the model, so they bound the runs ahead from above whatever they name.
        return free - WantedByOthers(me, model) >= count || FreeFor(holder, model, free, now) >= count;
    }

    /// <summary><see cref="FreeFor"/> by a pass over the whole line.</summary>
    internal int FreeForByPass(string holder, string model, int free, DateTimeOffset now)
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

        if (me.Run.Models.Length == 1 && AllAheadOf(me, now))
        {
            // Everyone else is ahead: what they want is the totals less its own, and those ahead that share
            // a model with it are the runs that can use its one model, less itself.
            return snapshot with
            {
                Agents = [.. snapshot.Agents.Select(a => a with { Free = Math.Max(0, a.Free - WantedByOthers(me, a.Slug.Value)) })],
                Ahead = _totals.GetValueOrDefault(me.Run.Models[0]).Runs - 1,
            };
        }

        return SeenByPass(holder, snapshot, now);
    }

    /// <summary><see cref="Seen"/> by a pass over the whole line.</summary>
    internal CapacitySnapshot SeenByPass(string holder, CapacitySnapshot snapshot, DateTimeOffset now)
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

    /// <summary>True when the totals answer for <paramref name="me"/>: every run was heard of lately, none names a model twice, and it ranks last.</summary>
    private bool AllAheadOf(Place me, DateTimeOffset now)
    {
        if (_irregular > 0)
        {
            return false;
        }

        if (now - _heardSince > Silent && now - _heardSinceExactAt >= TimeSpan.FromSeconds(1))
        {
            // The bound may only be old (a run heard of again raises it no further): made exact, at most once a second,
            // so that a run truly silent costs the pass it costs anyway and no more.
            _heardSince = _line.Count == 0 ? DateTimeOffset.MaxValue : _line.Values.Min(w => w.Seen);
            _heardSinceExactAt = now;
        }

        if (now - _heardSince > Silent)
        {
            return false;
        }

        if (!_lastKnown)
        {
            _last = null;
            foreach (var place in _line.Values)
            {
                if (_last is null || WaitingOrder.Before(_last.Run, place.Run))
                {
                    _last = place;
                }
            }

            _lastKnown = true;
        }

        return ReferenceEquals(_last, me);
    }

    private int WantedByOthers(Place me, string model) =>
        _totals.GetValueOrDefault(model).Accelerators - (Uses(me.Run, model) ? me.Run.Accelerators : 0);

    /// <summary>Puts <paramref name="place"/> in line, in the place of its holder's earlier one, and keeps the totals.</summary>
    private void Put(Place place)
    {
        // Its own earlier place ranked last and it ranks no earlier now: it still ranks last.
        var stillLast = _lastKnown && _last is { } last && last.Waiter.Holder == place.Waiter.Holder && !WaitingOrder.Before(place.Run, last.Run);
        Drop(place.Waiter.Holder);
        if (stillLast)
        {
            _last = place;
            _lastKnown = true;
        }

        _line[place.Waiter.Holder] = place;
        Count(place.Run, +1);
        if (place.Seen < _heardSince)
        {
            _heardSince = place.Seen;
        }

        if (_lastKnown && !stillLast && (_last is null || WaitingOrder.Before(_last.Run, place.Run)))
        {
            _last = place;
        }
    }

    /// <summary>Takes <paramref name="holder"/>'s place out of the line and the totals; the place, or null.</summary>
    private Place? Drop(string holder)
    {
        if (!_line.Remove(holder, out var gone))
        {
            return null;
        }

        Count(gone.Run, -1);
        if (ReferenceEquals(_last, gone))
        {
            _last = null;
            _lastKnown = _line.Count == 0;
        }

        if (_line.Count == 0)
        {
            _heardSince = DateTimeOffset.MaxValue;
        }

        return gone;
    }

    private void Count(WaitingRun run, int sign)
    {
        if (run.Models.Distinct(StringComparer.Ordinal).Count() != run.Models.Length)
        {
            _irregular += sign;
        }

        foreach (var model in run.Models)
        {
            var (accelerators, runs) = _totals.GetValueOrDefault(model);
            var total = (accelerators + (sign * run.Accelerators), runs + sign);
            if (total.Item2 == 0)
            {
                _totals.Remove(model);
            }
            else
            {
                _totals[model] = total;
            }
        }
    }

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
