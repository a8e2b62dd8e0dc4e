namespace Federation.Silo.Governance;

/// <summary>The last roster version this nation refused, and why.</summary>
/// <param name="At">When.</param>
/// <param name="Source">Who offered it: a peer's code, or <c>local</c> for the nation's own API.</param>
/// <param name="Version">The version number offered.</param>
/// <param name="Reason">Why it was refused.</param>
public sealed record RosterRefusal(DateTimeOffset At, string Source, long Version, string Reason);
