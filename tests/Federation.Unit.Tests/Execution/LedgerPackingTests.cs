using System.Collections.Immutable;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Ids;
using Federation.Grains.Execution.Ledger;

namespace Federation.Unit.Tests.Execution;

/// <summary>The capacity ledger's packed state: what is packed is read back the same, the old form is still read, and damaged bytes are refused with a reason.</summary>
public sealed class LedgerPackingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);
    private static readonly AcceleratorSlug[] Models = [.. new[] { "h100-sxm", "a100-80gb-sxm", "l40s" }.Select(TypedId.Parse<AcceleratorSlug>)];

    [Fact]
    public void Pack_RandomLedgers_UnpackToTheSameNodesAndEntries()
    {
        var random = new Random(20261207);
        for (var round = 0; round < 200; round++)
        {
            var (nodes, entries) = RandomLedger(random, nodes: random.Next(0, 12), entries: random.Next(0, 60));

            var (readNodes, readEntries) = LedgerPacking.Unpack(LedgerPacking.Pack(nodes, entries));

            Assert.Equal(nodes.Values, readNodes);
            Assert.Equal(entries.Count, readEntries.Count);
            foreach (var (expected, read) in entries.Values.Zip(readEntries))
            {
                Assert.Equal(expected with { Nodes = read.Nodes }, read);
                Assert.Equal(expected.Nodes, read.Nodes);
                Assert.Equal(expected.Since.Offset, read.Since.Offset);
            }
        }
    }

    [Fact]
    public void Pack_AThousandRunningJobs_TakesUnderFiftyBytesAnEntry()
    {
        var (nodes, entries) = RandomLedger(new Random(7), nodes: 40, entries: 1000);

        var packed = LedgerPacking.Pack(nodes, entries);

        // Holders like "exec-DE/job-000123/1" are most of it; pools, models and node ids are table indexes.
        Assert.True(packed.Length < 50 * 1000, $"{packed.Length} bytes for 1,000 entries");
    }

    [Fact]
    public void Read_TheFormBeforePacking_GivesItsNodesAndEntries()
    {
        var (nodes, entries) = RandomLedger(new Random(11), nodes: 3, entries: 5);
        var old = new CapacityLedgerState { Nodes = nodes, Entries = entries };

        var (readNodes, readEntries) = LedgerPacking.Read(old);

        Assert.Equal(nodes.Values, readNodes);
        Assert.Equal(entries.Values, readEntries);
    }

    [Fact]
    public void Read_PackedState_GivesWhatWasPacked_AndALedgerOverItAllocatesAround()
    {
        var nodes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("node-a", new LedgerNode("node-a", Models[0], 4, NodeState.Up))]);
        var source = new CapacityLedger(nodes.Values, []);
        source.Allocate("exec-DE/job-1/1", "agents", Models[0], 3, foreign: true, T0);
        var state = new PackedCapacityLedgerState { Packed = LedgerPacking.Pack(source.Nodes, source.Entries) };

        var (readNodes, readEntries) = LedgerPacking.Read(state);
        var ledger = new CapacityLedger(readNodes, readEntries);

        Assert.Equal(1, ledger.FreeOn("node-a"));
        Assert.Equal(3, ledger.Snapshot().ForeignHeld);
        Assert.Null(ledger.Allocate("exec-FR/job-2/1", "agents", Models[0], 2, foreign: false, T0).Taken);
    }

    [Fact]
    public void Save_Packed_AnOlderBuildLoadingItsOldFormFails_WhereItWouldFindNothingHeld()
    {
        var source = new CapacityLedger([new LedgerNode("node-a", Models[0], 4, NodeState.Up)], []);
        source.Allocate("exec-DE/job-1/1", "agents", Models[0], 3, foreign: true, T0);
        var waiting = ImmutableSortedDictionary.Create<string, LedgerWaiter>(StringComparer.Ordinal);

        var packed = Assert.IsType<PackedCapacityLedgerState>(LedgerPacking.Save(source, waiting, packed: true));
        var records = Assert.IsType<CapacityLedgerState>(LedgerPacking.Save(source, waiting, packed: false), exactMatch: true);

        // What a build before packing does with the members it knows (verified against such a build's binaries).
        Assert.Throws<ArgumentNullException>(() => new CapacityLedger(packed.Nodes.Values, packed.Entries.Values));
        Assert.Equal(3, new CapacityLedger(records.Nodes.Values, records.Entries.Values).Snapshot().ForeignHeld);
        Assert.Equal(3, new CapacityLedger(LedgerPacking.Read(packed).Nodes, LedgerPacking.Read(packed).Entries).Snapshot().ForeignHeld);
    }

    [Fact]
    public void Unpack_CutShort_AtEveryLength_IsRefusedAsInvalidData()
    {
        var (nodes, entries) = RandomLedger(new Random(3), nodes: 3, entries: 6);
        var packed = LedgerPacking.Pack(nodes, entries);

        for (var length = 0; length < packed.Length; length++)
        {
            var error = Assert.Throws<InvalidDataException>(() => LedgerPacking.Unpack(packed[..length]));
            Assert.StartsWith("The stored capacity ledger cannot be read: ", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Unpack_DamagedBytes_AreReadOrRefusedAsInvalidData_NeverAnotherException()
    {
        var (nodes, entries) = RandomLedger(new Random(5), nodes: 4, entries: 10);
        var packed = LedgerPacking.Pack(nodes, entries);
        var random = new Random(17);
        for (var round = 0; round < 5000; round++)
        {
            var damaged = (byte[])packed.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            try
            {
                var (readNodes, readEntries) = LedgerPacking.Unpack(damaged);
                Assert.All(readEntries, e => Assert.True(e.Count >= 0 && e.Holder.Length > 0));
                Assert.All(readNodes, n => Assert.True(Enum.IsDefined(n.State)));
            }
            catch (InvalidDataException)
            {
                // refused, with a reason
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { 2, 0, 0, 0 }, "format 2, where this build reads format 1")]
    [InlineData(new byte[] { 1, 0, 0, 0, 9 }, "1 bytes after the last entry")]
    [InlineData(new byte[] { 1, 0, 1, 0, 0, 0, 0, 0 }, "node id refers to name 0 of 0")]
    [InlineData(new byte[] { 1, 1, 2, (byte)'N', (byte)'!', 1, 0, 0, 1, 0, 0 }, "accelerator slug")]
    [InlineData(new byte[] { 1, 0, 200, 1 }, "200 nodes, in 4 bytes")]
    [InlineData(new byte[] { 1, 2, 1, (byte)'n', 1, (byte)'m', 2, 0, 1, 4, 0, 0, 1, 4, 0, 0 }, "node n is listed twice")]
    [InlineData(new byte[] { 1, 2, 1, (byte)'p', 1, (byte)'m', 0, 2, 1, (byte)'x', 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte)'x', 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "x holds two entries")]
    public void Unpack_Malformed_SaysWhatIsWrong(byte[] packed, string reason)
    {
        var error = Assert.Throws<InvalidDataException>(() => LedgerPacking.Unpack(packed));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    private static (ImmutableSortedDictionary<string, LedgerNode> Nodes, ImmutableSortedDictionary<string, LedgerEntry> Entries) RandomLedger(Random random, int nodes, int entries)
    {
        var nodeIds = Enumerable.Range(0, Math.Max(1, nodes)).Select(i => $"node-{i:D3}").ToArray();
        var nodeMap = Enumerable.Range(0, nodes)
            .Select(i => new LedgerNode(nodeIds[i], Models[random.Next(Models.Length)], random.Next(1, 1025), (NodeState)random.Next(3)))
            .ToImmutableSortedDictionary(n => n.Node, n => n, StringComparer.Ordinal);
        var entryMap = ImmutableSortedDictionary.CreateBuilder<string, LedgerEntry>(StringComparer.Ordinal);
        for (var i = 0; i < entries; i++)
        {
            var holder = random.Next(10) == 0 ? $"exec-ÅLAND/jöb-{i:D6}/{random.Next(1, 4)}" : $"exec-{(random.Next(2) == 0 ? "DE" : "FR")}/job-{i:D6}/1";
            var on = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
            if (random.Next(4) != 0)
            {
                // An agent pool's entry names its nodes; a Slurm pool's names none.
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    on[nodeIds[random.Next(nodeIds.Length)]] = random.Next(1, 300);
                }
            }

            var since = T0.AddSeconds(random.Next(0, 86_400)).AddTicks(random.Next(10_000)).ToOffset(TimeSpan.FromMinutes(random.Next(-12, 15) * 60));
            entryMap[holder] = new LedgerEntry(holder, on.Count == 0 ? "slurm-fr" : "agents", Models[random.Next(Models.Length)], on.Count == 0 ? random.Next(1, 9) : on.Values.Sum(), on.ToImmutable(), random.Next(2) == 0, since);
        }

        return (nodeMap, entryMap.ToImmutable());
    }
}
