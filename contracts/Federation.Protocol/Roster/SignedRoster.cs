using System.Text.Json;
using System.Text.Json.Serialization;

namespace Federation.Protocol.Roster;

/// <summary>
/// One version of the governed roster: its number (version 1 is the bootstrap roster file), the
/// digest of the version before it, the quorum the <em>next</em> version needs, the nations, and the
/// members' signatures over its canonical bytes (<see cref="RosterSigning.CanonicalBytes"/>).
/// </summary>
/// <param name="Version">The version number: the one in force plus one.</param>
/// <param name="Previous">Base64 SHA-256 of the canonical bytes of the version before (empty for version 1).</param>
/// <param name="Quorum">How many members of this version must sign the next one; null: a majority (n / 2 + 1).</param>
/// <param name="Nations">Every member nation.</param>
/// <param name="Signatures">The approvals collected so far (not part of what is signed).</param>
public sealed record SignedRoster(
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("previous")] string Previous,
    [property: JsonPropertyName("quorum")] int? Quorum,
    [property: JsonPropertyName("nations")] IReadOnlyList<RosterEntry> Nations,
    [property: JsonPropertyName("signatures")] IReadOnlyList<RosterSignature> Signatures)
{
    /// <summary>The largest roster version document read (bytes).</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>Version 1: the bootstrap roster file, unsigned, quorum by majority.</summary>
    public static SignedRoster Bootstrap(RosterDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new SignedRoster(1, string.Empty, null, document.Nations, []);
    }

    /// <summary>Parses a roster version; throws <see cref="FormatException"/> naming the problem (the rules are checked by <see cref="RosterRules"/>).</summary>
    public static SignedRoster Parse(string json)
    {
        SignedRoster? roster;
        try
        {
            roster = JsonSerializer.Deserialize<SignedRoster>(json, RosterDocument.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the roster version is not valid JSON: {e.Message}", e);
        }

        if (roster is null || roster.Nations is null || roster.Previous is null)
        {
            throw new FormatException("a roster version is an object with \"version\", \"previous\", \"nations\" and \"signatures\"");
        }

        if (roster.Nations.Any(n => n is null) || (roster.Signatures ?? []).Any(s => s is null))
        {
            throw new FormatException("a roster version's \"nations\" and \"signatures\" may not hold null");
        }

        if (roster.Nations.FirstOrDefault(n => (n.Pins ?? []).Any(p => p is null) || (n.ProtocolVersions ?? []).Any(v => v is null) || (n.RetiredPins ?? []).Any(r => r is null)) is { } holey)
        {
            throw new FormatException($"the \"pins\", \"protocolVersions\" and \"retiredPins\" of nation '{holey.Code}' may not hold null");
        }

        return roster with { Signatures = roster.Signatures ?? [] };
    }

    /// <summary>The signatures a version needs from the members of this one.</summary>
    [JsonIgnore]
    public int RequiredSignatures => Quorum ?? (Nations.Count / 2) + 1;

    /// <summary>The nations as a roster document.</summary>
    [JsonIgnore]
    public RosterDocument Document => new(Nations);

    /// <summary>The version as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, RosterDocument.JsonOptions);
}
