using Federation.Transparency.Peers;

namespace Federation.Silo.Transparency;

/// <summary>Evidence against a peer's log: the head kept before and the head that contradicts it, both as the peer signed them.</summary>
/// <param name="Status">What was wrong.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="FoundAt">When this nation found it.</param>
/// <param name="Kept">The head accepted before (null when none was).</param>
/// <param name="Offending">The head refused.</param>
public sealed record AuditPeerEvidence(string Status, string Reason, DateTimeOffset FoundAt, AuditHead? Kept, AuditHead Offending)
{
    /// <summary>The wire form of <paramref name="flag"/>.</summary>
    public static AuditPeerEvidence From(PeerHeadFlag flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return new(PeerHeadStatuses.Name(flag.Status), flag.Reason, flag.At, flag.Kept is null ? null : AuditHead.From(flag.Kept), AuditHead.From(flag.Offending));
    }
}
