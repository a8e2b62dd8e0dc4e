namespace Federation.Transparency;

/// <summary>A nation's log at one moment: its size and root (RFC 9162 TreeHeadDataV2, plus the log's nation).</summary>
/// <param name="Nation">The nation whose log this is (the log id).</param>
/// <param name="Size">Leaves in the tree.</param>
/// <param name="Root">The Merkle Tree Hash of those leaves (32 bytes).</param>
/// <param name="Time">When the head was made, UTC, millisecond precision.</param>
public sealed record TreeHead(string Nation, long Size, byte[] Root, DateTimeOffset Time)
{
    /// <summary>The root as lower-case hex.</summary>
    public string RootHex => Convert.ToHexStringLower(Root);
}
