using System.Collections.Immutable;
using System.Text;
using Federation.Contracts.Catalogue.Nodes;
using Federation.Contracts.Ids;
using Federation.Execution;

namespace Federation.Grains.Execution.Ledger;

/// <summary>
/// The capacity ledger's nodes and entries as one compact byte string, which is what its grain
/// persists (<see cref="PackedCapacityLedgerState"/>): pools, models and node ids once each in a table
/// and referred to by their index, counts as variable-length integers. The ledger is written whole on
/// each of its group commits and holds an entry per running job; in the serializer's own form every
/// entry was a graph of objects (a record, its strings, a sorted dictionary turned into a list of
/// pairs, each tracked for references), which cost FR's silo about a tenth of its samples at a few
/// thousand running jobs. Pure; reading checks every count and index and says what is wrong.
/// </summary>
public static class LedgerPacking
{
    /// <summary>The first byte of a packed ledger: the format.</summary>
    public const byte Format = 1;

    // In the old form's entries of a packed state: a build before packing reads a packed state as its base type (it
    // skips what it does not know), and would find no entries and hand out what runs hold. An entry without a holder
    // makes its ledger fail to load instead ("Value cannot be null"), so that it never answers from an empty ledger.
    private static readonly ImmutableSortedDictionary<string, LedgerEntry> s_olderBuildsStop =
        ImmutableSortedDictionary.Create<string, LedgerEntry>(StringComparer.Ordinal)
            .Add("packed", new LedgerEntry(null!, "packed", default, 0, ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal), false, default));

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The ledger's nodes and entries, as the grain last had them, from its persisted state (either form).</summary>
    public static (IReadOnlyCollection<LedgerNode> Nodes, IReadOnlyCollection<LedgerEntry> Entries) Read(CapacityLedgerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state is PackedCapacityLedgerState packed
            ? Unpack(packed.Packed)
            : ([.. state.Nodes.Values], [.. state.Entries.Values]);
    }

    /// <summary>
    /// What the grain stores for <paramref name="ledger"/> and the runs <paramref name="waiting"/> in line: packed, or in
    /// the form builds before packing read (<see cref="ExecutorSettings.PackLedger"/>).
    /// </summary>
    public static CapacityLedgerState Save(CapacityLedger ledger, ImmutableSortedDictionary<string, LedgerWaiter> waiting, bool packed)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        return packed
            ? new PackedCapacityLedgerState { Packed = Pack(ledger.Nodes, ledger.Entries), Entries = s_olderBuildsStop, Waiting = waiting }
            : new CapacityLedgerState { Nodes = ledger.Nodes, Entries = ledger.Entries, Waiting = waiting };
    }

    /// <summary><paramref name="nodes"/> and <paramref name="entries"/> (by id and by holder) packed (see the class).</summary>
    public static byte[] Pack(IReadOnlyDictionary<string, LedgerNode> nodes, IReadOnlyDictionary<string, LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(entries);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var table = new List<string>();
        int Name(string value)
        {
            if (!names.TryGetValue(value, out var index))
            {
                names[value] = index = table.Count;
                table.Add(value);
            }

            return index;
        }

        // The body first (it fills the table), then the format, the table and the body. Both are written into this
        // thread's scratch streams, and the result is the one array of its exact size: at a few thousand entries it is
        // a large object, and the streams' growth and copies were several more per write.
        var (body, head) = Scratch();
        using (var writer = new BinaryWriter(body, s_utf8, leaveOpen: true))
        {
            writer.Write7BitEncodedInt(nodes.Count);
            foreach (var node in nodes.Values)
            {
                writer.Write7BitEncodedInt(Name(node.Node));
                writer.Write7BitEncodedInt(Name(node.Model.Value));
                writer.Write7BitEncodedInt(node.Count);
                writer.Write((byte)node.State);
            }

            writer.Write7BitEncodedInt(entries.Count);
            foreach (var entry in entries.Values)
            {
                writer.Write(entry.Holder);
                writer.Write7BitEncodedInt(Name(entry.Pool));
                writer.Write7BitEncodedInt(Name(entry.Model.Value));
                writer.Write7BitEncodedInt(entry.Count);
                writer.Write(entry.Foreign);
                writer.Write(entry.Since.UtcTicks);
                writer.Write((short)entry.Since.TotalOffsetMinutes);
                writer.Write7BitEncodedInt(entry.Nodes.Count);
                foreach (var (node, count) in entry.Nodes)
                {
                    writer.Write7BitEncodedInt(Name(node));
                    writer.Write7BitEncodedInt(count);
                }
            }
        }

        using (var writer = new BinaryWriter(head, s_utf8, leaveOpen: true))
        {
            writer.Write(Format);
            writer.Write7BitEncodedInt(table.Count);
            foreach (var name in table)
            {
                writer.Write(name);
            }
        }

        var packed = new byte[head.Length + body.Length];
        head.GetBuffer().AsSpan(0, (int)head.Length).CopyTo(packed);
        body.GetBuffer().AsSpan(0, (int)body.Length).CopyTo(packed.AsSpan((int)head.Length));
        Release(body, head);
        return packed;
    }

    // Per thread (packing is synchronous), kept between writes unless they grew past the bound.
    [ThreadStatic]
    private static (MemoryStream Body, MemoryStream Head)? t_scratch;

    private const int ScratchKeptBytes = 4 << 20;

    private static (MemoryStream Body, MemoryStream Head) Scratch()
    {
        var scratch = t_scratch ?? (new MemoryStream(), new MemoryStream());
        t_scratch = null; // not shared with a nested call while in use
        scratch.Body.SetLength(0);
        scratch.Head.SetLength(0);
        return scratch;
    }

    private static void Release(MemoryStream body, MemoryStream head)
    {
        if (body.Capacity <= ScratchKeptBytes && head.Capacity <= ScratchKeptBytes)
        {
            t_scratch = (body, head);
        }
    }

    /// <summary>The nodes and entries packed in <paramref name="packed"/>; <see cref="InvalidDataException"/> naming what is wrong when it is not a packed ledger.</summary>
    public static (IReadOnlyCollection<LedgerNode> Nodes, IReadOnlyCollection<LedgerEntry> Entries) Unpack(byte[] packed)
    {
        ArgumentNullException.ThrowIfNull(packed);
        using var reader = new BinaryReader(new MemoryStream(packed, writable: false), s_utf8);
        try
        {
            var format = reader.ReadByte();
            if (format != Format)
            {
                throw Invalid($"format {format}, where this build reads format {Format} (a newer build wrote it?)");
            }

            var table = new string[Length(reader, "names", packed.Length)];
            for (var i = 0; i < table.Length; i++)
            {
                table[i] = reader.ReadString();
            }

            var nodes = new LedgerNode[Length(reader, "nodes", packed.Length)];
            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < nodes.Length; i++)
            {
                var id = Name(reader, table, "node id");
                if (!ids.Add(id))
                {
                    throw Invalid($"node {id} is listed twice");
                }

                var model = Slug(reader, table);
                var count = Count(reader, "node count");
                var state = reader.ReadByte();
                if (!Enum.IsDefined((NodeState)state))
                {
                    throw Invalid($"node {id} is in state {state}, which is not a node state");
                }

                nodes[i] = new LedgerNode(id, model, count, (NodeState)state);
            }

            var entries = new LedgerEntry[Length(reader, "entries", packed.Length)];
            var holders = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < entries.Length; i++)
            {
                var holder = reader.ReadString();
                if (holder.Length == 0)
                {
                    throw Invalid($"entry {i} has no holder");
                }

                if (!holders.Add(holder))
                {
                    throw Invalid($"{holder} holds two entries");
                }

                var pool = Name(reader, table, "pool");
                var model = Slug(reader, table);
                var count = Count(reader, "entry count");
                var foreign = reader.ReadBoolean();
                var ticks = reader.ReadInt64();
                var offset = reader.ReadInt16();
                if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks || Math.Abs((int)offset) > 14 * 60)
                {
                    throw Invalid($"entry {holder} was taken at ticks {ticks}, offset {offset} min, which is not a time");
                }

                var on = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
                var nodeCount = Length(reader, "entry nodes", packed.Length);
                for (var n = 0; n < nodeCount; n++)
                {
                    var node = Name(reader, table, "entry node");
                    on[node] = Count(reader, "count on a node");
                }

                entries[i] = new LedgerEntry(holder, pool, model, count, on.ToImmutable(), foreign, new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offset)));
            }

            if (reader.BaseStream.Position != packed.Length)
            {
                throw Invalid($"{packed.Length - reader.BaseStream.Position} bytes after the last entry");
            }

            return (nodes, entries);
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or DecoderFallbackException or ArgumentOutOfRangeException)
        {
            throw Invalid($"it ends early or holds a malformed value ({e.Message})");
        }
    }

    private static int Length(BinaryReader reader, string what, int bound)
    {
        var length = reader.Read7BitEncodedInt();

        // Each item takes at least a byte: a larger length is not a length.
        return length < 0 || length > bound ? throw Invalid($"{length} {what}, in {bound} bytes") : length;
    }

    private static int Count(BinaryReader reader, string what)
    {
        var count = reader.Read7BitEncodedInt();
        return count < 0 ? throw Invalid($"a {what} of {count}") : count;
    }

    private static string Name(BinaryReader reader, string[] table, string what)
    {
        var index = reader.Read7BitEncodedInt();
        return index >= 0 && index < table.Length ? table[index] : throw Invalid($"{what} refers to name {index} of {table.Length}");
    }

    private static AcceleratorSlug Slug(BinaryReader reader, string[] table)
    {
        var text = Name(reader, table, "model");
        return AcceleratorSlug.TryParse(text, out var slug, out var error) ? slug : throw Invalid(error);
    }

    private static InvalidDataException Invalid(string what) => new($"The stored capacity ledger cannot be read: {what}.");
}
