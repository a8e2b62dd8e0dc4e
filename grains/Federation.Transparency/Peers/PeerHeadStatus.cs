namespace Federation.Transparency.Peers;

/// <summary>What a nation concluded about a peer's log from the signed heads it fetched and kept.</summary>
public enum PeerHeadStatus
{
    /// <summary>No signed head fetched from the peer yet.</summary>
    Unchecked,

    /// <summary>Every head fetched so far is signed by the peer's roster key and extends the one kept before it.</summary>
    Consistent,

    /// <summary>A head was not signed by a key the roster pins for the peer (or names another nation).</summary>
    BadSignature,

    /// <summary>A head is smaller than one the peer signed before: its log was truncated.</summary>
    Truncated,

    /// <summary>A head does not extend the one kept before it (different root at the same size, or a failed consistency proof): the log was rewritten.</summary>
    Inconsistent,
}
