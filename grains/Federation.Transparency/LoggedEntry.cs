namespace Federation.Transparency;

/// <summary>One row of a nation's log as stored: its position, the exact canonical bytes that were hashed, and the leaf hash.</summary>
/// <param name="Index">Position in the log, from 0.</param>
/// <param name="Bytes">The canonical bytes (<see cref="TransparencyEntryEncoding"/>).</param>
/// <param name="LeafHash">SHA-256(0x00 || bytes) as written at append time.</param>
public sealed record LoggedEntry(long Index, byte[] Bytes, byte[] LeafHash)
{
    /// <summary>The row for <paramref name="entry"/> at <paramref name="index"/>: encoded and hashed.</summary>
    public static LoggedEntry Of(long index, TransparencyEntry entry)
    {
        var bytes = TransparencyEntryEncoding.Encode(index, entry);
        return new LoggedEntry(index, bytes, MerkleHash.Leaf(bytes));
    }
}
