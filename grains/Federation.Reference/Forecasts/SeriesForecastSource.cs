using System.Collections.Immutable;
using Federation.Contracts.Peers;

namespace Federation.Reference.Forecasts;

/// <summary>
/// An hourly series replayed by hour of the year (the shipped 2020 series: FR, DE, GB), as a perfect
/// forecast; a zone the series lacks stays flat at its annual figure. Pure.
/// </summary>
public sealed class SeriesForecastSource(HourlyIntensitySeries series, ReferenceTables reference) : IIntensityForecastSource
{
    /// <inheritdoc />
    public string Name => "series";

    /// <inheritdoc />
    /// <exception cref="KeyNotFoundException">The zone is in neither the series nor the grid table.</exception>
    /// <exception cref="FormatException">The series lacks an hour of the window.</exception>
    public ValueTask<IntensityForecast> ForecastAsync(string zone, DateTimeOffset from, int hours, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        var start = ForecastHours.HourOf(from);
        if (!series.Zones.Contains(zone, StringComparer.Ordinal))
        {
            var flat = AnnualForecastSource.Flat(reference, zone, start, hours);
            return ValueTask.FromResult(flat with { Source = ForecastHours.SourceText($"series: no {zone} in the series; {flat.Source}") });
        }

        var values = ImmutableArray.CreateBuilder<double>(hours);
        for (var h = 0; h < hours; h++)
        {
            values.Add(series.Find(zone, start.AddHours(h))
                ?? throw new FormatException($"{series.Source} has no {zone} value for {start.AddHours(h):yyyy-MM-dd HH:00} UTC"));
        }

        return ValueTask.FromResult(new IntensityForecast { Source = ForecastHours.SourceText($"series: {series.Source}"), From = start, Hourly = values.MoveToImmutable() });
    }
}
