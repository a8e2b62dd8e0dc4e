using System.Collections.Immutable;
using Federation.Contracts.Ids;

namespace Federation.Contracts.Routing;

/// <summary>What the federated planner concluded about one nation as the aggregator.</summary>
[GenerateSerializer, Immutable, Alias("fed.AggregatorVerdict")]
public sealed record AggregatorVerdict
{
    /// <summary>The candidate.</summary>
    [Id(0)] public required NationCode Nation { get; init; }

    /// <summary>1 for the chosen aggregator, 2 for the next, ...; null when excluded.</summary>
    [Id(1)] public int? Rank { get; init; }

    /// <summary>Every rule that excluded it; empty when allowed.</summary>
    [Id(2)] public ImmutableArray<Exclusion> Exclusions { get; init; } = [];

    /// <summary>The nation's grid carbon intensity, gCO2e per kWh (the agreed reference when its claim was out of bounds); null without an advert.</summary>
    [Id(3)] public double? GridIntensityGco2PerKwh { get; init; }

    /// <summary>The nation's power usage effectiveness; null without an advert.</summary>
    [Id(4)] public double? Pue { get; init; }

    /// <summary>gCO2e per kWh of accelerator energy there (intensity x PUE), the figure aggregators are ranked by; null without an advert.</summary>
    [Id(5)] public double? Gco2PerAcceleratorKwh { get; init; }

    /// <summary>How many data nations other than this one would contribute if it aggregated.</summary>
    [Id(6)] public int Contributors { get; init; }

    /// <summary>True when no rule excluded it.</summary>
    public bool Allowed => Exclusions.IsDefaultOrEmpty;

    /// <inheritdoc />
    public bool Equals(AggregatorVerdict? other) =>
        other is not null && Nation == other.Nation && Rank == other.Rank && GridIntensityGco2PerKwh == other.GridIntensityGco2PerKwh
        && Pue == other.Pue && Gco2PerAcceleratorKwh == other.Gco2PerAcceleratorKwh && Contributors == other.Contributors
        && (Exclusions.IsDefault ? [] : Exclusions).SequenceEqual(other.Exclusions.IsDefault ? [] : other.Exclusions);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Nation, Rank);
}
