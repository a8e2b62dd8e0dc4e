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

    /// <summary>Longest <see cref="IntensityForecast.Reason"/> a receiver accepts.</summary>
    public const int MaxReasonLength = 500;

    /// <summary><paramref name="text"/> made printable and cut to <see cref="MaxSourceLength"/> characters, as a forecast's source.</summary>
    public static string SourceText(string text) => Bounded(text, MaxSourceLength);

    /// <summary>
    /// <paramref name="text"/> (an upstream server's error, say) made printable and cut to <see cref="MaxReasonLength"/>
    /// characters, as a fallback forecast's reason: peers read adverts strictly, and a control character or half a
    /// surrogate pair in it would have every advert refused.
    /// </summary>
    public static string ReasonText(string text) => Bounded(text, MaxReasonLength);

    private static string Bounded(string text, int most)
    {
        var printable = new System.Text.StringBuilder(Math.Min(text.Length, most + 1));
        for (var i = 0; i < text.Length && printable.Length <= most; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                printable.Append(c).Append(text[++i]);
            }
            else
            {
                printable.Append(char.IsControl(c) ? ' ' : char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        if (printable.Length <= most)
        {
            return printable.ToString();
        }

        // Cut where no surrogate pair is split, and say that it was cut.
        var cut = most - 3;
        if (char.IsLowSurrogate(printable[cut]))
        {
            cut--;
        }

        return printable.ToString(0, cut) + "...";
    }

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

        if (forecast.Reason is { Length: > MaxReasonLength })
        {
            errors.Add(("reason", $"at most {MaxReasonLength} characters"));
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
