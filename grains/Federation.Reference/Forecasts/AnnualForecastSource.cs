using Federation.Contracts.Peers;

namespace Federation.Reference.Forecasts;

/// <summary>The annual table's figure for every hour: no swing. Pure.</summary>
public sealed class AnnualForecastSource(ReferenceTables reference) : IIntensityForecastSource
{
    /// <inheritdoc />
    public string Name => "annual";

    /// <inheritdoc />
    /// <exception cref="KeyNotFoundException">The zone is not in the grid table.</exception>
    public ValueTask<IntensityForecast> ForecastAsync(string zone, DateTimeOffset from, int hours, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Flat(reference, zone, from, hours));

    /// <summary>The annual figure of <paramref name="zone"/> for <paramref name="hours"/> hours.</summary>
    /// <exception cref="KeyNotFoundException">The zone is not in the grid table.</exception>
    public static IntensityForecast Flat(ReferenceTables reference, string zone, DateTimeOffset from, int hours)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var grid = reference.FindGridZone(zone) ?? throw new KeyNotFoundException($"grid zone '{zone}' is not in the grid intensity table");
        return new IntensityForecast
        {
            Source = $"annual: {grid.Zone} {grid.Year}",
            From = ForecastHours.HourOf(from),
            Hourly = ForecastHours.Flat(grid.Gco2PerKwh, hours),
        };
    }
}
