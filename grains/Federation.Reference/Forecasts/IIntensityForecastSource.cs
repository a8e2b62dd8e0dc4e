using Federation.Contracts.Peers;

namespace Federation.Reference.Forecasts;

/// <summary>
/// Where a nation's grid intensity forecast comes from: the annual table, an hourly series replayed by
/// hour of the year, or a provider over HTTP (in the silo). Implementations may fail by throwing;
/// <see cref="FallbackForecastSource"/> turns a failure into the annual figure, flagged.
/// </summary>
public interface IIntensityForecastSource
{
    /// <summary>The source's name as adverts carry it (<c>annual</c>, <c>series</c>, <c>http</c>).</summary>
    string Name { get; }

    /// <summary>The intensity of <paramref name="zone"/> for <paramref name="hours"/> hours from the hour <paramref name="from"/> (on the hour, UTC).</summary>
    ValueTask<IntensityForecast> ForecastAsync(string zone, DateTimeOffset from, int hours, CancellationToken cancellationToken);
}
