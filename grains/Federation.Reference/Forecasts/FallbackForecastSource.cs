using Federation.Contracts.Peers;

namespace Federation.Reference.Forecasts;

/// <summary>
/// A source that never fails: when <paramref name="inner"/> throws, times out, or returns a forecast that
/// breaks <see cref="ForecastHours.Check"/> or covers other hours, the zone's annual figure stands in,
/// with <see cref="IntensityForecast.Fallback"/> set and the reason. A zone in no table gets 0 gCO2e/kWh,
/// as the advert's own figure does.
/// </summary>
public sealed class FallbackForecastSource(IIntensityForecastSource inner, ReferenceTables reference) : IIntensityForecastSource
{
    /// <inheritdoc />
    public string Name => inner.Name;

    /// <inheritdoc />
    public async ValueTask<IntensityForecast> ForecastAsync(string zone, DateTimeOffset from, int hours, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hours, IntensityForecast.MaxHours);
        var start = ForecastHours.HourOf(from);
        string reason;
        try
        {
            var forecast = await inner.ForecastAsync(zone, start, hours, cancellationToken);
            var errors = ForecastHours.Check(forecast);
            if (errors.Count == 0 && forecast.From == start && forecast.Hourly.Length == hours)
            {
                return forecast;
            }

            reason = errors.Count > 0
                ? string.Join("; ", errors.Select(e => $"forecast.{e.Field}: {e.Rule}"))
                : $"it answered {forecast.Hourly.Length} hours from {forecast.From:O}, asked {hours} from {start:O}";
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            reason = e.Message;
        }

        var annual = reference.FindGridZone(zone);
        var text = $"{inner.Name} source failed: {reason}";
        return new IntensityForecast
        {
            Source = ForecastHours.SourceText(annual is null ? $"annual: zone '{zone}' not in the table" : $"annual: {annual.Zone} {annual.Year}"),
            Fallback = true,
            Reason = ForecastHours.ReasonText(text),
            From = start,
            Hourly = ForecastHours.Flat(annual?.Gco2PerKwh ?? 0, hours),
        };
    }
}
