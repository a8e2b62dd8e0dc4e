using System.Text.Json.Serialization;
using Federation.Protocol.Roster;

namespace Federation.Silo.Governance;

/// <summary>A signed roster version as this nation applied it.</summary>
/// <param name="Roster">The version with its signatures.</param>
/// <param name="AppliedAt">When this nation applied it: the time its signatures were checked at (pin validity).</param>
public sealed record AppliedRosterVersion(
    [property: JsonPropertyName("roster")] SignedRoster Roster,
    [property: JsonPropertyName("appliedAt")] DateTimeOffset AppliedAt);
