using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Peers;

namespace Federation.Routing.Trust;

/// <summary>
/// Numbers in a peer's advert are claims: a grid intensity under a fraction of the zone's agreed
/// reference, a PUE under 1.0, or a zone other than the roster's is flagged, and the reference
/// figure is what the router uses instead. Pure.
/// </summary>
public static class AdvertClaims
{
    /// <summary>The figures of <paramref name="advert"/> the router may use, with a flag per claim replaced; the advert's own figures when <paramref name="reference"/> is null.</summary>
    public static CheckedClaims Check(CapabilityAdvert advert, ClaimReference? reference)
    {
        ArgumentNullException.ThrowIfNull(advert);
        if (reference is null)
        {
            return new CheckedClaims(advert.GridIntensityGco2PerKwh, advert.Pue, []);
        }

        var flags = ImmutableArray.CreateBuilder<string>();
        var intensity = advert.GridIntensityGco2PerKwh;
        if (reference.Gco2PerKwh is { } agreed)
        {
            if (reference.ZoneFromRoster && !string.Equals(advert.GridZone, reference.Zone, StringComparison.Ordinal))
            {
                flags.Add(Text(
                    $"gridZone: {advert.Nation} advertises zone '{advert.GridZone}' but the roster names '{reference.Zone}'; the reference {agreed:0.#} gCO2e/kWh of {reference.Zone} ({reference.Source}) is used"));
                intensity = agreed;
            }
            else if (!(advert.GridIntensityGco2PerKwh >= agreed * reference.MinFraction))
            {
                flags.Add(Text(
                    $"gridIntensityGco2PerKwh: {advert.Nation} advertises {advert.GridIntensityGco2PerKwh:0.#} gCO2e/kWh, under {reference.MinFraction:0.##%} of the reference {agreed:0.#} gCO2e/kWh for zone {reference.Zone} ({reference.Source}); the reference is used"));
                intensity = agreed;
            }
        }

        var pue = advert.Pue;
        if (!(advert.Pue >= 1.0))
        {
            flags.Add(Text($"pue: {advert.Nation} advertises a PUE of {advert.Pue:0.###}, under 1.0, which no data centre achieves; the reference PUE {reference.ReferencePue:0.##} is used"));
            pue = reference.ReferencePue;
        }

        return new CheckedClaims(intensity, pue, flags.ToImmutable());
    }

    /// <summary>
    /// The figures <see cref="Check"/> lets the router use, without the flags' sentences: what the decision
    /// path reads, so it allocates nothing. The same rules as <see cref="Check"/>.
    /// </summary>
    internal static (double GridIntensityGco2PerKwh, double Pue) Figures(CapabilityAdvert advert, ClaimReference? reference)
    {
        if (reference is null)
        {
            return (advert.GridIntensityGco2PerKwh, advert.Pue);
        }

        var intensity = advert.GridIntensityGco2PerKwh;
        if (reference.Gco2PerKwh is { } agreed
            && ((reference.ZoneFromRoster && !string.Equals(advert.GridZone, reference.Zone, StringComparison.Ordinal))
                || !(advert.GridIntensityGco2PerKwh >= agreed * reference.MinFraction)))
        {
            intensity = agreed;
        }

        return (intensity, advert.Pue >= 1.0 ? advert.Pue : reference.ReferencePue);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
