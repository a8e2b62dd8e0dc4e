using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Ids;
using Federation.Contracts.Peers;
using Federation.Lifecycle.Executions;

namespace Federation.Grains.Execution.Ledger;

/// <summary>
/// The pure rules of the capacity ledger: nodes (model, count, state) and entries (holder to pool,
/// model, node counts); free accelerators per node and model and what foreign jobs hold are derived
/// from them. Allocation takes the freest nodes that are up first, all or nothing, and is idempotent
/// per holder; a node that goes down frees nothing but offers nothing. Foreign runs admitted that hold
/// nothing yet are counted in the foreign share from their admission (<see cref="ClaimForeign"/>). No
/// I/O: the grain persists it (the claims live in memory).
/// </summary>
public sealed class CapacityLedger
{
    private readonly Dictionary<string, LedgerNode> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LedgerEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _held = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _holders = new(StringComparer.Ordinal);

    // What foreign entries hold per node, and in pools that allocate themselves: kept as entries come and go, so
    // that a snapshot costs a pass over the nodes, not over every entry (one per running job).
    private readonly Dictionary<string, int> _foreignOn = new(StringComparer.Ordinal);
    private int _foreignInPools;
    private readonly ForeignClaims _claims = new();
    private CapacitySnapshot? _snapshot;

    // What is persisted, kept sorted as it changes (a change costs a log of the entries, not a sort of all of them per write).
    private ImmutableSortedDictionary<string, LedgerNode> _sortedNodes = ImmutableSortedDictionary.Create<string, LedgerNode>(StringComparer.Ordinal);
    private ImmutableSortedDictionary<string, LedgerEntry> _sortedEntries = ImmutableSortedDictionary.Create<string, LedgerEntry>(StringComparer.Ordinal);

    /// <summary>True when <paramref name="holder"/> holds accelerators here.</summary>
    public bool Holds(string holder) => _entries.ContainsKey(holder);

    /// <summary>A ledger of <paramref name="nodes"/> with <paramref name="entries"/> held.</summary>
    public CapacityLedger(IEnumerable<LedgerNode> nodes, IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var node in nodes)
        {
            _nodes[node.Node] = node;
        }

        _sortedNodes = _nodes.ToImmutableSortedDictionary(StringComparer.Ordinal);

        foreach (var entry in entries)
        {
            Add(entry);
        }
    }

    /// <summary>The nodes by id, for persisting.</summary>
    public ImmutableSortedDictionary<string, LedgerNode> Nodes => _sortedNodes;

    /// <summary>The entries by holder, for persisting.</summary>
    public ImmutableSortedDictionary<string, LedgerEntry> Entries => _sortedEntries;

    /// <summary>Accelerators of <paramref name="node"/> that no one holds (0 for an unknown node).</summary>
    public int FreeOn(string node) => _nodes.TryGetValue(node, out var n) ? Math.Max(0, n.Count - _held.GetValueOrDefault(node)) : 0;

    /// <summary>Free (on nodes that are up) and total (up or draining) per model, and what foreign jobs hold.</summary>
    public CapacitySnapshot Snapshot() => _snapshot ??= Compute();

    /// <summary>
    /// The snapshot as an offer of <paramref name="count"/> accelerators for the foreign <paramref name="holder"/>
    /// is decided on: its <see cref="CapacitySnapshot.ForeignHeld"/> adds what the other foreign runs admitted and
    /// not holding yet want. When <paramref name="count"/> more fits within <paramref name="maxShare"/> of the
    /// nation's accelerators (these and <paramref name="otherTotal"/>, the pools that allocate themselves),
    /// <paramref name="holder"/> is counted as such a run until <paramref name="until"/>, it takes its accelerators
    /// or it stops; an offer decided at the same moment sees it.
    /// </summary>
    public CapacitySnapshot ClaimForeign(string holder, int count, double maxShare, int otherTotal, DateTimeOffset now, DateTimeOffset until)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(otherTotal);
        var snapshot = Snapshot();
        var seen = snapshot with { ForeignHeld = snapshot.ForeignHeld + _claims.Pending(holder, now) };
        if (!Holds(holder) && new ForeignShare(maxShare, snapshot.Agents.Sum(a => a.Total) + otherTotal, seen.ForeignHeld).Admits(count))
        {
            _claims.Claim(holder, count, until);
        }

        return seen;
    }

    /// <summary>The foreign <paramref name="holder"/>, admitted and in line for <paramref name="count"/> accelerators, is still coming: its claim lasts until <paramref name="until"/>.</summary>
    public void KeepClaim(string holder, int count, DateTimeOffset until)
    {
        if (!Holds(holder))
        {
            _claims.Claim(holder, count, until);
        }
    }

    /// <summary>The foreign <paramref name="holder"/> stopped before taking its accelerators: its claim no longer counts.</summary>
    public bool DropClaim(string holder) => _claims.Drop(holder);

    /// <summary>True when <paramref name="holder"/> holds <paramref name="count"/> x <paramref name="model"/> on agent-managed nodes.</summary>
    public bool HoldsExactly(string holder, AcceleratorSlug model, int count) =>
        _entries.TryGetValue(holder, out var held) && held.Model == model && held.Count == count && !held.Nodes.IsEmpty;

    /// <summary>
    /// <paramref name="holder"/> takes <paramref name="count"/> accelerators of <paramref name="model"/>
    /// on the freest nodes that are up (ties by node id), all or nothing. The same holder asking again
    /// for the same gets what it holds. A holder asks only while it runs nothing, so what it holds that is
    /// not what it asks for is given back first (an allocation whose answer was lost, before a launch on another model).
    /// </summary>
    public LedgerAllocation Allocate(string holder, string pool, AcceleratorSlug model, int count, bool foreign, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        ArgumentException.ThrowIfNullOrEmpty(pool);
        if (HoldsExactly(holder, model, count))
        {
            return new(_entries[holder].Nodes, false, "");
        }

        if (count < 1)
        {
            return new(null, false, $"count must be at least 1, not {count}");
        }

        var replaced = Remove(holder);

        var candidates = _nodes.Values
            .Where(n => n.State == NodeState.Up && n.Model == model)
            .Select(n => (n.Node, Free: FreeOn(n.Node)))
            .Where(c => c.Free > 0)
            .OrderByDescending(c => c.Free)
            .ThenBy(c => c.Node, StringComparer.Ordinal);
        var taken = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        var needed = count;
        foreach (var (node, free) in candidates)
        {
            var take = Math.Min(needed, free);
            taken[node] = take;
            needed -= take;
            if (needed == 0)
            {
                break;
            }
        }

        if (needed > 0)
        {
            return new(null, replaced, $"{count - needed} of {count} x {model} free on nodes that are up");
        }

        var entry = new LedgerEntry(holder, pool, model, count, taken.ToImmutable(), foreign, now);
        Add(entry);
        return new(entry.Nodes, true, "");
    }

    /// <summary>
    /// Records <paramref name="holder"/>'s accelerators in a pool that allocates itself (Slurm); false when it already
    /// holds them. What it holds that is not these is given back first, as for <see cref="Allocate"/>.
    /// </summary>
    public bool Hold(string holder, string pool, AcceleratorSlug model, int count, bool foreign, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        ArgumentException.ThrowIfNullOrEmpty(pool);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (_entries.TryGetValue(holder, out var held) && held.Pool == pool && held.Model == model && held.Count == count)
        {
            return false;
        }

        Remove(holder);

        Add(new LedgerEntry(holder, pool, model, count, ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal), foreign, now));
        return true;
    }

    /// <summary>Gives back what <paramref name="holder"/> holds (and drops its claim); false when it holds nothing.</summary>
    public bool Release(string holder)
    {
        _claims.Drop(holder);
        return Remove(holder);
    }

    /// <summary>Gives back what <paramref name="holder"/> holds, keeping its claim (it asks for something else); false when it holds nothing.</summary>
    private bool Remove(string holder)
    {
        if (!_entries.Remove(holder, out var entry))
        {
            return false;
        }

        _sortedEntries = _sortedEntries.Remove(holder);

        CountForeign(entry, -1);
        foreach (var (node, count) in entry.Nodes)
        {
            _held[node] -= count;
            if (_held[node] <= 0)
            {
                _held.Remove(node);
            }

            _holders[node].Remove(holder);
            if (_holders[node].Count == 0)
            {
                _holders.Remove(node);
            }
        }

        _snapshot = null;
        return true;
    }

    /// <summary>Adds or replaces a node; false when it is unchanged. What is held on it stays held.</summary>
    public bool SetNode(LedgerNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (_nodes.TryGetValue(node.Node, out var known) && known == node)
        {
            return false;
        }

        _nodes[node.Node] = node;
        _sortedNodes = _sortedNodes.SetItem(node.Node, node);
        _snapshot = null;
        return true;
    }

    /// <summary>Removes <paramref name="node"/> unless something is held on it: what is held (empty when removed or unknown).</summary>
    public ImmutableArray<Allocation> RemoveNode(string node, out bool changed)
    {
        var held = Holdings(node);
        changed = held.IsEmpty && _nodes.Remove(node);
        if (changed)
        {
            _sortedNodes = _sortedNodes.Remove(node);
            _snapshot = null;
        }

        return held;
    }

    /// <summary>What each holder holds on <paramref name="node"/>, by holder.</summary>
    public ImmutableArray<Allocation> Holdings(string node) =>
        _holders.TryGetValue(node, out var holders)
            ? [.. holders.Select(h => _entries[h]).Select(e => new Allocation(e.Holder, e.Nodes[node], e.Since))]
            : [];

    private void Add(LedgerEntry entry)
    {
        _entries[entry.Holder] = entry;
        _claims.Drop(entry.Holder); // it holds them now: counted as held
        CountForeign(entry, +1);
        _sortedEntries = _sortedEntries.SetItem(entry.Holder, entry);
        foreach (var (node, count) in entry.Nodes)
        {
            _held[node] = _held.GetValueOrDefault(node) + count;
            if (!_holders.TryGetValue(node, out var holders))
            {
                _holders[node] = holders = new SortedSet<string>(StringComparer.Ordinal);
            }

            holders.Add(entry.Holder);
        }

        _snapshot = null;
    }

    private void CountForeign(LedgerEntry entry, int sign)
    {
        if (!entry.Foreign)
        {
            return;
        }

        if (entry.Nodes.IsEmpty)
        {
            _foreignInPools += sign * entry.Count;
            return;
        }

        foreach (var (node, count) in entry.Nodes)
        {
            var left = _foreignOn.GetValueOrDefault(node) + (sign * count);
            if (left == 0)
            {
                _foreignOn.Remove(node);
            }
            else
            {
                _foreignOn[node] = left;
            }
        }
    }

    private CapacitySnapshot Compute()
    {
        var models = new SortedDictionary<string, (AcceleratorSlug Model, int Free, int Total)>(StringComparer.Ordinal);
        foreach (var node in _nodes.Values.Where(n => n.State != NodeState.Down))
        {
            var line = models.TryGetValue(node.Model.Value, out var known) ? known : (node.Model, Free: 0, Total: 0);
            models[node.Model.Value] = (node.Model, line.Free + (node.State == NodeState.Up ? FreeOn(node.Node) : 0), line.Total + node.Count);
        }

        var foreign = _foreignInPools;
        foreach (var (id, count) in _foreignOn)
        {
            // Held on a node that is down is not counted (it offers nothing); on one the ledger no longer knows, it is.
            foreign += _nodes.TryGetValue(id, out var node) && node.State == NodeState.Down ? 0 : count;
        }

        return new CapacitySnapshot([.. models.Values.Select(m => new AcceleratorCapacity(m.Model, m.Free, m.Total))], foreign);
    }
}
