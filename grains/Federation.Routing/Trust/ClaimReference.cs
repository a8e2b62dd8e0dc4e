namespace Federation.Routing.Trust;

/// <summary>What the federation agrees a nation's advert should be checked against.</summary>
/// <param name="Zone">The nation's grid zone: the roster's, or the advert's own when the roster names none.</param>
/// <param name="Gco2PerKwh">The zone's reference intensity now (the hourly value where a series is configured, else the annual figure); null when the zone has no reference figure.</param>
/// <param name="Source">Where that figure comes from, for the flag's text.</param>
/// <param name="MinFraction">An advertised intensity under this fraction of the reference is flagged (0.5: under half).</param>
/// <param name="ReferencePue">The PUE used instead of a claimed PUE under 1.0.</param>
/// <param name="ZoneFromRoster">True when <paramref name="Zone"/> is the roster's word, so an advert naming another zone is flagged.</param>
public sealed record ClaimReference(string Zone, double? Gco2PerKwh, string Source, double MinFraction, double ReferencePue, bool ZoneFromRoster);
