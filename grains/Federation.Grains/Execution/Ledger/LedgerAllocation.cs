using System.Collections.Immutable;

namespace Federation.Grains.Execution.Ledger;

/// <summary>The outcome of an allocation on the ledger.</summary>
/// <param name="Taken">Node id to count, or null when nothing was taken.</param>
/// <param name="Changed">True when the ledger changed (and must be written).</param>
/// <param name="Reason">Why nothing was taken; empty when <paramref name="Taken"/> is set.</param>
public sealed record LedgerAllocation(ImmutableSortedDictionary<string, int>? Taken, bool Changed, string Reason);
