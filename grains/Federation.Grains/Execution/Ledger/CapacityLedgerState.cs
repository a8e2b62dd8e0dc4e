using System.Collections.Immutable;

namespace Federation.Grains.Execution.Ledger;

/// <summary>Persistent state of the capacity ledger grain: its nodes, entries and the runs in line; free counts are derived.</summary>
[GenerateSerializer, Alias("fed.CapacityLedgerState")]
public sealed class CapacityLedgerState
{
    /// <summary>The agent-managed nodes by id.</summary>
    [Id(0)] public ImmutableSortedDictionary<string, LedgerNode> Nodes { get; set; } = ImmutableSortedDictionary.Create<string, LedgerNode>(StringComparer.Ordinal);

    /// <summary>The entries by holder.</summary>
    [Id(1)] public ImmutableSortedDictionary<string, LedgerEntry> Entries { get; set; } = ImmutableSortedDictionary.Create<string, LedgerEntry>(StringComparer.Ordinal);

    /// <summary>The runs in line for accelerators that have had to wait, by holder (<see cref="WaitingLine"/>).</summary>
    [Id(2)] public ImmutableSortedDictionary<string, LedgerWaiter> Waiting { get; set; } = ImmutableSortedDictionary.Create<string, LedgerWaiter>(StringComparer.Ordinal);
}
