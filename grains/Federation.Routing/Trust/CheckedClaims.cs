using System.Collections.Immutable;

namespace Federation.Routing.Trust;

/// <summary>The figures of an advert the router may use, after checking them against the agreed reference.</summary>
/// <param name="GridIntensityGco2PerKwh">The advertised intensity, or the reference one when the advertised one is flagged.</param>
/// <param name="Pue">The advertised PUE, or the reference one when the advertised one is flagged.</param>
/// <param name="Flags">One sentence per claim not taken on trust; empty when the advert is within bounds.</param>
public sealed record CheckedClaims(double GridIntensityGco2PerKwh, double Pue, ImmutableArray<string> Flags)
{
    /// <summary>True when something was flagged.</summary>
    public bool Flagged => !Flags.IsDefaultOrEmpty;
}
