using System.Collections.Immutable;

namespace Federation.Contracts.Peers;

/// <summary>
/// A nation's grid carbon intensity forecast as its advert carries it: one value per hour from
/// <see cref="From"/>, where it came from, and whether the source failed and the annual figure stands
/// in. The summary (<see cref="Min"/>, <see cref="Mean"/>, <see cref="Max"/>, <see cref="CleanestAt"/>)
/// is computed from the hours, so it cannot disagree with them.
/// </summary>
[GenerateSerializer, Immutable, Alias("fed.IntensityForecast")]
public sealed record IntensityForecast
{
    /// <summary>Most hours a forecast carries (three days).</summary>
    public const int MaxHours = 72;

    /// <summary>Highest intensity a forecast hour may state, gCO2e/kWh (as the advert's own figure).</summary>
    public const double MaxGco2PerKwh = 5000;

    /// <summary>Where the values come from: <c>annual</c>, <c>series</c> or <c>http</c>, with a detail after a colon.</summary>
    [Id(0)] public required string Source { get; init; }

    /// <summary>True when the configured source failed and the annual figure stands in for it.</summary>
    [Id(1)] public bool Fallback { get; init; }

    /// <summary>Why the source failed; null when it did not.</summary>
    [Id(2)] public string? Reason { get; init; }

    /// <summary>The start of the first hour (UTC, on the hour).</summary>
    [Id(3)] public required DateTimeOffset From { get; init; }

    /// <summary>Intensity per hour from <see cref="From"/>, gCO2e/kWh; 1 to <see cref="MaxHours"/> values.</summary>
    [Id(4)] public ImmutableArray<double> Hourly { get; init; } = [];

    /// <summary>Lowest hourly value; 0 when there are none.</summary>
    public double Min => Hourly.IsDefaultOrEmpty ? 0 : Hourly.Min();

    /// <summary>Mean of the hourly values; 0 when there are none.</summary>
    public double Mean => Hourly.IsDefaultOrEmpty ? 0 : Hourly.Average();

    /// <summary>Highest hourly value; 0 when there are none.</summary>
    public double Max => Hourly.IsDefaultOrEmpty ? 0 : Hourly.Max();

    /// <summary>The start of the cleanest hour (the first, on a tie); <see cref="From"/> when there are none.</summary>
    public DateTimeOffset CleanestAt => Hourly.IsDefaultOrEmpty ? From : From.AddHours(Hourly.IndexOf(Hourly.Min()));

    /// <summary>The intensity in the hour <paramref name="hoursFromStart"/> after <see cref="From"/>, or null beyond the forecast.</summary>
    public double? At(int hoursFromStart) =>
        !Hourly.IsDefault && hoursFromStart >= 0 && hoursFromStart < Hourly.Length ? Hourly[hoursFromStart] : null;

    /// <inheritdoc />
    public bool Equals(IntensityForecast? other) =>
        other is not null && Source == other.Source && Fallback == other.Fallback && Reason == other.Reason
        && From == other.From && Hourly.SequenceEqual(other.Hourly);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Source, Fallback, From, Hourly.Length);
}
