using System.Globalization;

namespace Federation.Transparency.Peers;

/// <summary>
/// The rules a nation applies to a peer's signed heads (pure: no I/O). A head must be signed by a key
/// the roster pins for the peer at the head's time (an active pin, or one retired after it) and name
/// the peer; compared with the head kept before, it may not be smaller (truncated), may not carry
/// another root at the same size, a larger one may not be older (so a retired key cannot add heads
/// dated back into its validity after a newer head was seen), and must come with a consistency proof
/// from the kept one (RFC 9162 section 2.1.4.2).
/// </summary>
public static class PeerHeadChecker
{
    /// <summary>Null when <paramref name="fresh"/> is the peer's and signed by one of <paramref name="pins"/>; otherwise why not.</summary>
    public static string? CheckSignature(string peer, SignedTreeHead fresh, IReadOnlyCollection<string> pins)
    {
        ArgumentNullException.ThrowIfNull(pins);
        return CheckSignature(peer, fresh, new NationPins(pins));
    }

    /// <summary>
    /// Null when <paramref name="fresh"/> is the peer's and signed by a key of <paramref name="pins"/>
    /// valid at the head's time (an active pin, or a pin retired after the head was signed); otherwise why not.
    /// </summary>
    public static string? CheckSignature(string peer, SignedTreeHead fresh, NationPins pins)
    {
        ArgumentNullException.ThrowIfNull(fresh);
        ArgumentNullException.ThrowIfNull(pins);
        if (fresh.Head is null || !string.Equals(fresh.Head.Nation, peer, StringComparison.Ordinal))
        {
            return $"the head names nation '{fresh.Head?.Nation}', not {peer}";
        }

        return pins.IsEmpty
            ? $"the roster pins no key for {peer}"
            : TreeHeadSignature.Verify(fresh, pins);
    }

    /// <summary>
    /// Whether <paramref name="fresh"/> (signature already checked) may follow <paramref name="kept"/>;
    /// <paramref name="proof"/> is the peer's consistency proof from the kept size to the fresh one
    /// (needed only when the fresh head is larger).
    /// </summary>
    public static (PeerHeadStatus Status, string? Reason) CheckSuccessor(SignedTreeHead? kept, SignedTreeHead fresh, IReadOnlyList<byte[]>? proof)
    {
        ArgumentNullException.ThrowIfNull(fresh);
        if (kept is null || kept.Head.Size == 0)
        {
            return (PeerHeadStatus.Consistent, null);
        }

        var (k, f) = (kept.Head, fresh.Head);
        if (f.Size < k.Size)
        {
            return (PeerHeadStatus.Truncated, $"the head of size {f.Size} at {Time(f)} is smaller than the head of size {k.Size} at {Time(k)} it signed before: its log was truncated");
        }

        if (f.Size > k.Size && f.Time < k.Time)
        {
            return (PeerHeadStatus.Inconsistent, $"the head of size {f.Size} at {Time(f)} is larger but older than the head of size {k.Size} at {Time(k)} it signed before: a log's heads go forward in time");
        }

        if (f.Size == k.Size)
        {
            return MerkleHash.Equal(f.Root, k.Root)
                ? (PeerHeadStatus.Consistent, null)
                : (PeerHeadStatus.Inconsistent, $"two signed heads of size {k.Size} with different roots ({k.RootHex} at {Time(k)}, {f.RootHex} at {Time(f)}): its log was rewritten");
        }

        if (proof is null)
        {
            return (PeerHeadStatus.Inconsistent, $"no consistency proof from size {k.Size} to {f.Size}");
        }

        return MerkleProofs.VerifyConsistency(k.Size, f.Size, k.Root, f.Root, proof) is { } problem
            ? (PeerHeadStatus.Inconsistent, $"the head of size {f.Size} at {Time(f)} does not extend the head of size {k.Size} at {Time(k)}: {problem}; its log was rewritten")
            : (PeerHeadStatus.Consistent, null);
    }

    /// <summary>
    /// Null when <paramref name="answer"/> proves that entry <paramref name="index"/> is in
    /// <paramref name="peer"/>'s log: a head of the proof's size signed by one of <paramref name="pins"/>,
    /// the row at its own position whose bytes read as a canonical entry and hash to its leaf, and an
    /// audit path from that leaf to the signed root. Otherwise why not.
    /// </summary>
    public static string? CheckInclusion(string peer, long index, PeerInclusion answer, IReadOnlyCollection<string> pins)
    {
        ArgumentNullException.ThrowIfNull(pins);
        return CheckInclusion(peer, index, answer, new NationPins(pins));
    }

    /// <summary>As <see cref="CheckInclusion(string, long, PeerInclusion, IReadOnlyCollection{string})"/>, with the pins valid at the head's time.</summary>
    public static string? CheckInclusion(string peer, long index, PeerInclusion answer, NationPins pins)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Head is not { } head)
        {
            return $"{peer} served no signed head of size {answer.TreeSize} to prove against";
        }

        if (CheckSignature(peer, head, pins) is { } bad)
        {
            return bad;
        }

        if (head.Head.Size != answer.TreeSize)
        {
            return $"the proof is for size {answer.TreeSize} but the head is of size {head.Head.Size}";
        }

        if (answer.Entry.Index != index)
        {
            return $"{peer} served entry {answer.Entry.Index} for entry {index}";
        }

        try
        {
            var (at, _) = TransparencyEntryEncoding.Decode(answer.Entry.Bytes);
            if (at != index)
            {
                return $"the bytes served for entry {index} name position {at}";
            }
        }
        catch (FormatException e)
        {
            return $"the bytes served for entry {index} are not a canonical entry: {e.Message}";
        }

        return MerkleProofs.VerifyInclusion(index, head.Head.Size, MerkleHash.Leaf(answer.Entry.Bytes), answer.AuditPath, head.Head.Root);
    }

    private static string Time(TreeHead head) => head.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
