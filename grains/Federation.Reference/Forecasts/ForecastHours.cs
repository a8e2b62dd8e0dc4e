using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Peers;

namespace Federation.Reference.Forecasts;

/// <summary>Rules every forecast meets, whoever made it: this nation's sources, and a peer's advert on receipt.</summary>
public static class ForecastHours
{
    /// <summary>The start of the hour <paramref name="at"/> lies in, UTC.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Longest <see cref="IntensityForecast.Source"/> a receiver accepts.</summary>
    public const int MaxSourceLength = 100;

    /// <summary><paramref name="text"/> cut to <see cref="MaxSourceLength"/> characters, as a forecast's source.</summary>
    public static string SourceText(string text) => text.Length <= MaxSourceLength ? text : text[..(MaxSourceLength - 3)] + "...";

    /// <summary>A forecast of <paramref name="hours"/> hours at <paramref name="value"/> throughout.</summary>
    public static ImmutableArray<double> Flat(double value, int hours) => [.. Enumerable.Repeat(value, hours)];

    /// <summary>Every broken rule of <paramref name="forecast"/>, as (field under <c>forecast</c>, rule) pairs; empty when it is sound.</summary>
    public static IReadOnlyList<(string Field, string Rule)> Check(IntensityForecast forecast)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        var errors = new List<(string, string)>();
        if (forecast.Source is not { Length: >= 1 and <= MaxSourceLength })
        {
            errors.Add(("source", $"1 to {MaxSourceLength} characters"));
        }

        if (forecast.Reason is { Length: > 500 })
        {
            errors.Add(("reason", "at most 500 characters"));
        }

        if (forecast.Fallback && string.IsNullOrWhiteSpace(forecast.Reason))
        {
            errors.Add(("reason", "a fallback forecast says why the source failed"));
        }

        if (forecast.From != HourOf(forecast.From))
        {
            errors.Add(("from", Text($"must be on the hour (UTC), got {forecast.From:O}")));
        }

        if (forecast.Hourly.IsDefault || forecast.Hourly.Length is < 1 or > IntensityForecast.MaxHours)
        {
            errors.Add(("hourly", $"1 to {IntensityForecast.MaxHours} values"));
            return errors;
        }

        for (var i = 0; i < forecast.Hourly.Length; i++)
        {
            var value = forecast.Hourly[i];
            if (!double.IsFinite(value) || value < 0 || value > IntensityForecast.MaxGco2PerKwh)
            {
                errors.Add(($"hourly[{i}]", Text($"between 0 and {IntensityForecast.MaxGco2PerKwh} gCO2e/kWh, got {value}")));
                break;
            }
        }

        return errors;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
