using Federation.Protocol.Roster;
using Federation.Transparency;

namespace Federation.Silo.Transparency;

/// <summary>A roster entry's pins as the transparency checks use them: active, and retired with their ends.</summary>
internal static class RosterPins
{
    /// <summary>The pins of <paramref name="entry"/>, so that a signature is checked against the pins valid when it was made.</summary>
    public static NationPins Of(RosterEntry entry) =>
        new(entry.Pins, (entry.RetiredPins ?? []).Select(r => KeyValuePair.Create(r.Pin, r.NotAfter)));
}
