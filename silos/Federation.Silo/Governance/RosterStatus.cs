using Federation.Protocol.Roster;

namespace Federation.Silo.Governance;

/// <summary>The governed roster as this nation holds it (<c>GET /api/v1/roster</c>).</summary>
/// <param name="Version">The version in force.</param>
/// <param name="Digest">Its digest: what the next version names as previous.</param>
/// <param name="RequiredSignatures">How many of its members must sign the next version.</param>
/// <param name="Source"><c>file</c> (version 1, the roster file) or <c>signed</c>.</param>
/// <param name="AppliedAt">When this nation applied it (null for the file).</param>
/// <param name="Current">The version in force, with its signatures.</param>
/// <param name="LastRefusal">The last version refused, or null.</param>
public sealed record RosterStatus(
    long Version,
    string Digest,
    int RequiredSignatures,
    string Source,
    DateTimeOffset? AppliedAt,
    SignedRoster Current,
    RosterRefusal? LastRefusal);
