namespace Federation.Silo.Trust;

/// <summary>The defaults of <see cref="TrustOptions"/>, in one place.</summary>
public static class TrustDefaults
{
    /// <summary>How far a peer's advert time may be from this nation's clock.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    /// <summary>An advertised grid intensity under this fraction of the reference is flagged.</summary>
    public const double MinIntensityFraction = 0.5;

    /// <summary>The PUE used for a nation that claims one under 1.0 (Uptime Institute's 2023 global average).</summary>
    public const double ReferencePue = 1.58;
}
