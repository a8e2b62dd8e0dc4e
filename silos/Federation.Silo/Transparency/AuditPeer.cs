using Federation.Transparency.Peers;

namespace Federation.Silo.Transparency;

/// <summary>This nation's view of one peer's transparency log, for auditors.</summary>
/// <param name="Nation">The peer.</param>
/// <param name="Status"><c>unchecked</c>, <c>consistent</c>, <c>bad-signature</c>, <c>truncated</c> or <c>inconsistent</c> (a flag stays).</param>
/// <param name="Latest">The latest head accepted from the peer.</param>
/// <param name="HeadsKept">How many of its heads were accepted.</param>
/// <param name="CheckedAt">When a head was last accepted or refused.</param>
/// <param name="Evidence">The first problem found, with both heads; null while consistent.</param>
public sealed record AuditPeer(string Nation, string Status, AuditHead? Latest, long HeadsKept, DateTimeOffset? CheckedAt, AuditPeerEvidence? Evidence)
{
    /// <summary>The wire form of <paramref name="state"/>, or an unchecked peer when null.</summary>
    public static AuditPeer From(string nation, PeerLogState? state) => state is null
        ? new(nation, PeerHeadStatuses.Name(PeerHeadStatus.Unchecked), null, 0, null, null)
        : new(nation, PeerHeadStatuses.Name(state.Status), state.Latest is null ? null : AuditHead.From(state.Latest), state.HeadsKept, state.CheckedAt, state.Flag is null ? null : AuditPeerEvidence.From(state.Flag));
}
