namespace Federation.Silo.Trust;

/// <summary>Bounds on what peers claim (section <c>Federation:Trust</c>).</summary>
public sealed class TrustOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Federation:Trust";

    /// <summary>How far a peer's advert <c>issuedAt</c> may be from this nation's clock, either way; outside, the advert is refused (400).</summary>
    public TimeSpan ClockSkew { get; set; } = TrustDefaults.ClockSkew;

    /// <summary>A peer advertising a grid intensity under this fraction (0 to 1) of its zone's reference is flagged and scored at the reference.</summary>
    public double MinIntensityFraction { get; set; } = TrustDefaults.MinIntensityFraction;

    /// <summary>The PUE scored for a peer that advertises one under 1.0 (1 to 5).</summary>
    public double ReferencePue { get; set; } = TrustDefaults.ReferencePue;

    /// <summary>
    /// An hourly grid-intensity series (CSV: <c>hour_utc</c> and one column per zone, gCO2e/kWh): where it
    /// covers a zone, adverts are checked against the hour's value instead of the annual figure, so genuinely
    /// clean hours are not flagged. Unset: the annual figures of the reference table.
    /// </summary>
    public string? HourlySeriesPath { get; set; }
}
