using Federation.Protocol.Roster;

namespace Federation.Silo.Governance;

/// <summary>The answer to a roster version offered to this nation.</summary>
/// <param name="Outcome">Applied, already in force, or refused.</param>
/// <param name="Verdict">The rules' verdict (the reason when refused, the counted signers).</param>
/// <param name="Version">The version in force afterwards.</param>
public sealed record RosterSubmission(RosterOutcome Outcome, RosterVerdict Verdict, long Version);
