using Federation.Contracts.Peers;
using Federation.Reference.Forecasts;

namespace Federation.Silo.Carbon;

/// <summary>
/// This nation's forecast for its advert: the configured source behind <see cref="FallbackForecastSource"/>
/// (a failing source gives the annual figure, flagged), asked again once the last answer is older than
/// <see cref="CarbonOptions.RefreshMinutes"/> or a new hour has begun.
/// </summary>
public sealed class CarbonForecasts(IIntensityForecastSource source, CarbonOptions options, TimeProvider time)
{
    private (string Zone, DateTimeOffset AskedAt, IntensityForecast Forecast)? _last;

    /// <summary>The name of the configured source.</summary>
    public string SourceName => source.Name;

    /// <summary>The forecast of <paramref name="zone"/> from the current hour.</summary>
    public async Task<IntensityForecast> CurrentAsync(string zone, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hour = ForecastHours.HourOf(now);
        if (_last is { } last && last.Zone == zone && last.Forecast.From == hour && now - last.AskedAt < TimeSpan.FromMinutes(options.RefreshMinutes))
        {
            return last.Forecast;
        }

        // Two adverts built at once may both ask the source; the later answer is kept. No lock: adverts are rare.
        var forecast = await source.ForecastAsync(zone, hour, options.Hours, cancellationToken);
        _last = (zone, now, forecast);
        return forecast;
    }
}
