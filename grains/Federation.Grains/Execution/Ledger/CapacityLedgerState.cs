using System.Collections.Immutable;

namespace Federation.Grains.Execution.Ledger;

/// <summary>
/// Persistent state of the capacity ledger grain: its nodes, entries and the runs in line; free counts are derived.
/// This build writes <see cref="PackedCapacityLedgerState"/> and reads both (<see cref="LedgerPacking.Read"/>).
/// </summary>
[GenerateSerializer, Alias("fed.CapacityLedgerState")]
public class CapacityLedgerState
{
    /// <summary>The agent-managed nodes by id (empty in <see cref="PackedCapacityLedgerState"/>).</summary>
    [Id(0)] public ImmutableSortedDictionary<string, LedgerNode> Nodes { get; set; } = ImmutableSortedDictionary.Create<string, LedgerNode>(StringComparer.Ordinal);

    /// <summary>The entries by holder (empty in <see cref="PackedCapacityLedgerState"/>).</summary>
    [Id(1)] public ImmutableSortedDictionary<string, LedgerEntry> Entries { get; set; } = ImmutableSortedDictionary.Create<string, LedgerEntry>(StringComparer.Ordinal);

    /// <summary>The runs in line for accelerators that have had to wait, by holder (<see cref="WaitingLine"/>).</summary>
    [Id(2)] public ImmutableSortedDictionary<string, LedgerWaiter> Waiting { get; set; } = ImmutableSortedDictionary.Create<string, LedgerWaiter>(StringComparer.Ordinal);
}

/// <summary>
/// The capacity ledger's state as this build writes it: nodes and entries in one byte string
/// (<see cref="LedgerPacking"/>), the runs in line as before. A build from before it reads this type as its
/// base (it skips the member it does not know), so the base's entries hold one that such a build cannot load:
/// during a rolling restart the ledger fails to activate on an old silo, and what needed it is asked again
/// once it lives on a new one; it is never read as empty.
/// </summary>
[GenerateSerializer, Alias("fed.PackedCapacityLedgerState")]
public sealed class PackedCapacityLedgerState : CapacityLedgerState
{
    /// <summary>The nodes and entries, packed.</summary>
    [Id(0)] public byte[] Packed { get; set; } = [];
}
