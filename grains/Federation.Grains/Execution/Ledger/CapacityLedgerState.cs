using System.Collections.Immutable;

namespace Federation.Grains.Execution.Ledger;

/// <summary>Persistent state of the capacity ledger grain: its nodes and entries; free counts are derived.</summary>
[GenerateSerializer, Alias("fed.CapacityLedgerState")]
public sealed class CapacityLedgerState
{
    /// <summary>The agent-managed nodes by id.</summary>
    [Id(0)] public ImmutableSortedDictionary<string, LedgerNode> Nodes { get; set; } = ImmutableSortedDictionary.Create<string, LedgerNode>(StringComparer.Ordinal);

    /// <summary>The entries by holder.</summary>
    [Id(1)] public ImmutableSortedDictionary<string, LedgerEntry> Entries { get; set; } = ImmutableSortedDictionary.Create<string, LedgerEntry>(StringComparer.Ordinal);
}
