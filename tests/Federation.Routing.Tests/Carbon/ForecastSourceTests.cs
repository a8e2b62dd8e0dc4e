using Federation.Contracts.Peers;
using Federation.Reference;
using Federation.Reference.Forecasts;

namespace Federation.Routing.Tests.Carbon;

/// <summary>The pure forecast sources: the annual table, the replayed series, and the fallback that flags a failing source.</summary>
public sealed class ForecastSourceTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 10, 17, 0, TimeSpan.Zero);
    private static readonly ReferenceTables s_table = ReferenceTables.Shipped;

    [Fact]
    public async Task Series_ReplaysTheHourOfTheYear_AndKeepsOtherZonesFlat()
    {
        var source = new SeriesForecastSource(HourlyIntensitySeries.Shipped2020, s_table);

        var de = await source.ForecastAsync("DE", s_now, 24, CancellationToken.None);
        var se = await source.ForecastAsync("SE", s_now, 24, CancellationToken.None);

        Assert.Equal(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero), de.From);
        Assert.Equal(HourlyIntensitySeries.Shipped2020.Find("DE", new DateTimeOffset(2020, 3, 2, 10, 0, 0, TimeSpan.Zero)), de.Hourly[0]);
        Assert.True(de.Max > de.Min, "the German series swings within a day");
        Assert.All(se.Hourly, v => Assert.Equal(s_table.FindGridZone("SE")!.Gco2PerKwh, v));
        Assert.False(se.Fallback);
        Assert.Empty(ForecastHours.Check(de));
    }

    [Theory]
    [InlineData("DE")]
    [InlineData("SE")]
    [InlineData("XX")]
    public async Task EverySource_ForecastPassesTheReceiversCheck(string zone)
    {
        IIntensityForecastSource[] sources =
        [
            new FallbackForecastSource(new AnnualForecastSource(s_table), s_table),
            new FallbackForecastSource(new SeriesForecastSource(HourlyIntensitySeries.Shipped2020, s_table), s_table),
            new FallbackForecastSource(new Failing(new InvalidOperationException(new string('x', 2000))), s_table),
        ];
        foreach (var source in sources)
        {
            var forecast = await source.ForecastAsync(zone, s_now, 48, CancellationToken.None);
            Assert.Empty(ForecastHours.Check(forecast));
        }
    }

    [Fact]
    public void Shipped2020_HasTheSourcedYearMeans()
    {
        var series = HourlyIntensitySeries.Shipped2020;
        var start = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var de = Enumerable.Range(0, 8784).Average(h => series.Find("DE", start.AddHours(h))!.Value);
        Assert.Equal(313.4, de, 0.5);
    }

    [Fact]
    public async Task Fallback_SourceThrows_AnnualFigureFlaggedWithTheReason()
    {
        var source = new FallbackForecastSource(new Failing(new HttpRequestException("connection refused (127.0.0.1:9)")), s_table);

        var forecast = await source.ForecastAsync("DE", s_now, 24, CancellationToken.None);

        Assert.True(forecast.Fallback);
        Assert.Contains("connection refused", forecast.Reason, StringComparison.Ordinal);
        Assert.StartsWith("annual:", forecast.Source, StringComparison.Ordinal);
        Assert.All(forecast.Hourly, v => Assert.Equal(s_table.FindGridZone("DE")!.Gco2PerKwh, v));
        Assert.Equal(24, forecast.Hourly.Length);
    }

    [Fact]
    public async Task Fallback_AnUpstreamErrorWithControlsAndAPairCutAtTheBound_ReasonPrintableAndWhole()
    {
        // An upstream answer's text: an ESC sequence, a C1 control, a lone surrogate, and an emoji (a surrogate pair)
        // that lands where the 500-character bound would cut it in two.
        const string Head = "\u001b[31mbad gateway\u0085 \uD800 ";
        var upstream = Head + new string('x', 496 - "http source failed: ".Length - Head.Length) + "\U0001F600\U0001F600 tail";
        var source = new FallbackForecastSource(new Failing(new HttpRequestException(upstream)), s_table);

        var reason = (await source.ForecastAsync("DE", s_now, 24, CancellationToken.None)).Reason!;

        Assert.True(reason.Length <= ForecastHours.MaxReasonLength, $"{reason.Length} characters");
        Assert.DoesNotContain(reason, char.IsControl);
        for (var i = 0; i < reason.Length; i++)
        {
            Assert.False(char.IsHighSurrogate(reason[i]) ? i + 1 >= reason.Length || !char.IsLowSurrogate(reason[i + 1]) : char.IsLowSurrogate(reason[i]) && (i == 0 || !char.IsHighSurrogate(reason[i - 1])), $"a lone surrogate at {i}");
        }

        Assert.Contains("bad gateway", reason, StringComparison.Ordinal);
        Assert.EndsWith("...", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1.0, "hourly[3]")]
    [InlineData(double.NaN, "hourly[3]")]
    [InlineData(6000.0, "hourly[3]")]
    public async Task Fallback_SourceAnswersOutOfBounds_FallsBackNamingTheField(double bad, string field)
    {
        var values = Enumerable.Repeat(100.0, 24).ToArray();
        values[3] = bad;
        var source = new FallbackForecastSource(new Fixed(values), s_table);

        var forecast = await source.ForecastAsync("GB", s_now, 24, CancellationToken.None);

        Assert.True(forecast.Fallback);
        Assert.Contains($"forecast.{field}", forecast.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fallback_SourceAnswersTooFewHours_FallsBack()
    {
        var source = new FallbackForecastSource(new Fixed([.. Enumerable.Repeat(100.0, 12)]), s_table);

        var forecast = await source.ForecastAsync("GB", s_now, 24, CancellationToken.None);

        Assert.True(forecast.Fallback);
        Assert.Contains("answered 12 hours", forecast.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OffTheHourAndNoValues_NamesBothFields()
    {
        var errors = ForecastHours.Check(new IntensityForecast { Source = "http", From = s_now, Hourly = [] });

        Assert.Contains(errors, e => e.Field == "from");
        Assert.Contains(errors, e => e.Field == "hourly");
    }

    private sealed class Failing(Exception error) : IIntensityForecastSource
    {
        public string Name => "http";

        public ValueTask<IntensityForecast> ForecastAsync(string zone, DateTimeOffset from, int hours, CancellationToken cancellationToken) =>
            ValueTask.FromException<IntensityForecast>(error);
    }

    private sealed class Fixed(double[] values) : IIntensityForecastSource
    {
        public string Name => "http";

        public ValueTask<IntensityForecast> ForecastAsync(string zone, DateTimeOffset from, int hours, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new IntensityForecast { Source = "http: fake", From = from, Hourly = [.. values] });
    }
}
