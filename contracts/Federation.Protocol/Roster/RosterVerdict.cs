namespace Federation.Protocol.Roster;

/// <summary>Whether a roster version may replace the one in force, and why not.</summary>
/// <param name="Accepted">True when the version is the valid successor.</param>
/// <param name="Reason">Why it is refused (null when accepted).</param>
/// <param name="Signers">The members of the roster in force whose valid signatures count.</param>
/// <param name="Problems">Every signature that did not count, with the reason (informational when accepted).</param>
public sealed record RosterVerdict(bool Accepted, string? Reason, IReadOnlyList<string> Signers, IReadOnlyList<string> Problems)
{
    /// <summary>A refusal for <paramref name="reason"/>.</summary>
    public static RosterVerdict Refused(string reason, IReadOnlyList<string>? signers = null, IReadOnlyList<string>? problems = null) =>
        new(false, reason, signers ?? [], problems ?? []);
}
