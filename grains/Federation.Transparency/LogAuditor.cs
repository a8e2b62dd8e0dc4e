namespace Federation.Transparency;

/// <summary>
/// Checks a log, as its store hands it over, against the heads its nation signed (RFC 6962 section
/// 5.3: recompute the root over all entries and compare with each signed head). Every row must sit at
/// its own index, decode as a canonical entry that names that index, and hash to its stored leaf;
/// every head must carry a valid signature by one of the nation's pins, grow in size and time, and
/// match the root recomputed at its size; no head may cover more entries than the log holds. The
/// first problem in log order is reported, naming the entry.
/// </summary>
public static class LogAuditor
{
    /// <summary>Checks <paramref name="rows"/> (in store order) against <paramref name="heads"/> signed by <paramref name="nation"/> with one of <paramref name="pins"/>.</summary>
    public static AuditReport Verify(string nation, IReadOnlyList<LoggedEntry> rows, IReadOnlyList<SignedTreeHead> heads, IReadOnlyCollection<string> pins)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(heads);
        ArgumentNullException.ThrowIfNull(pins);
        var count = rows.Count;

        // The heads first: a head that is not the nation's, or that goes backwards, is no evidence.
        for (var h = 0; h < heads.Count; h++)
        {
            var head = heads[h];
            if (!string.Equals(head.Head.Nation, nation, StringComparison.Ordinal))
            {
                return new(count, heads.Count, null, $"the head at size {head.Head.Size} is {head.Head.Nation}'s, not {nation}'s");
            }

            if (TreeHeadSignature.Verify(head, pins) is { } bad)
            {
                return new(count, heads.Count, null, bad);
            }

            if (h > 0 && (head.Head.Size < heads[h - 1].Head.Size || head.Head.Time <= heads[h - 1].Head.Time))
            {
                return new(count, heads.Count, null, $"the head at size {head.Head.Size} ({head.Head.Time:O}) goes back from the one before it (size {heads[h - 1].Head.Size}, {heads[h - 1].Head.Time:O})");
            }
        }

        var range = new CompactRange();
        var next = 0;
        var lastGood = 0L;
        while (next < heads.Count && heads[next].Head.Size == 0)
        {
            if (!MerkleHash.Equal(heads[next].Head.Root, MerkleHash.Empty()))
            {
                return new(count, heads.Count, null, "the head of size 0 does not carry the empty root");
            }

            next++;
        }

        for (var i = 0; i < count; i++)
        {
            var row = rows[i];
            if (row.Index != i)
            {
                return new(count, heads.Count, i, row.Index > i
                    ? $"entry {i} is missing: the row after entry {i - 1} is entry {row.Index} (deleted)"
                    : $"entry {row.Index} appears again at position {i} (duplicated or reordered)");
            }

            long index;
            try
            {
                index = TransparencyEntryEncoding.Decode(row.Bytes).Index;
            }
            catch (FormatException e)
            {
                return new(count, heads.Count, i, $"entry {i} was edited: {e.Message}");
            }

            if (index != i)
            {
                return new(count, heads.Count, i, $"the row at position {i} holds entry {index} (moved or reordered)");
            }

            var leaf = MerkleHash.Leaf(row.Bytes);
            if (!MerkleHash.Equal(leaf, row.LeafHash))
            {
                return new(count, heads.Count, i, $"entry {i} was edited: its bytes no longer hash to its stored leaf");
            }

            range.Append(leaf);
            while (next < heads.Count && heads[next].Head.Size == range.Size)
            {
                var head = heads[next].Head;
                if (!MerkleHash.Equal(range.Root(), head.Root))
                {
                    return new(count, heads.Count, lastGood, $"the entries up to {head.Size - 1} no longer give the root {nation} signed at size {head.Size} ({head.Time:O}): an entry from {lastGood} on was edited together with its leaf hash, or replaced");
                }

                lastGood = head.Size;
                next++;
            }
        }

        if (next < heads.Count)
        {
            var head = heads[next].Head;
            return new(count, heads.Count, count, $"the log holds {count} entries but {nation} signed a head of size {head.Size} at {head.Time:O}: entries {count} to {head.Size - 1} are gone (truncated)");
        }

        return new(count, heads.Count, null, null);
    }
}
