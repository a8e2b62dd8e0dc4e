using System.Globalization;
using System.Text.Json.Nodes;
using Federation.Reference;
using Federation.Reference.Forecasts;
using Federation.Silo.Carbon;

namespace Federation.Silo.Tests.Carbon;

/// <summary>
/// The <c>http</c> forecast source against a fake Carbon Aware SDK WebAPI: a good answer is averaged per
/// hour; an error, a hang past the timeout, or an answer out of bounds falls back to the annual figure, flagged.
/// </summary>
public sealed class HttpForecastSourceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_from = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private FakeCarbonApi _api = null!;
    private readonly HttpClient _client = new();

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => _api = await FakeCarbonApi.StartAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        _client.Dispose();
    }

    private FallbackForecastSource Source(string? location = null, double timeoutSeconds = 5) =>
        new(new HttpForecastSource(_client, _api.BaseUrl, location, TimeSpan.FromSeconds(timeoutSeconds)), ReferenceTables.Shipped);

    /// <summary>An answer in the WebAPI's shape: 30-minute points from <see cref="s_from"/>, value = 100 + i.</summary>
    private static string Answer(string location, int points, Action<JsonObject, int>? spoil = null)
    {
        var data = new JsonArray();
        for (var i = 0; i < points; i++)
        {
            var point = new JsonObject
            {
                ["location"] = location,
                ["timestamp"] = s_from.AddMinutes(30 * i).ToString("O", CultureInfo.InvariantCulture),
                ["duration"] = 30,
                ["value"] = 100.0 + i,
            };
            spoil?.Invoke(point, i);
            data.Add(point);
        }

        return new JsonArray(new JsonObject
        {
            ["generatedAt"] = s_from.ToString("O", CultureInfo.InvariantCulture),
            ["location"] = location,
            ["windowSize"] = 30,
            ["optimalDataPoints"] = new JsonArray(),
            ["forecastData"] = data,
        }).ToJsonString();
    }

    [Fact]
    public async Task Forecast_GoodAnswer_AveragesHalfHoursPerHourFromTheConfiguredLocation()
    {
        _api.Answers["germanywestcentral"] = (200, Answer("germanywestcentral", 48));

        var forecast = await Source("germanywestcentral").ForecastAsync("DE", s_from.AddMinutes(20), 24, TestContext.Current.CancellationToken);

        Assert.False(forecast.Fallback, forecast.Reason);
        Assert.Equal(s_from, forecast.From);
        Assert.Equal(24, forecast.Hourly.Length);
        Assert.Equal(100.5, forecast.Hourly[0], 9);
        Assert.Equal(146.5, forecast.Hourly[23], 9);
        Assert.StartsWith("http:", forecast.Source, StringComparison.Ordinal);
        Assert.Equal("germanywestcentral", Assert.Single(_api.Asked));
    }

    [Fact]
    public async Task Forecast_ServerError_FallsBackToTheAnnualFigureWithTheStatus()
    {
        _api.Answers["DE"] = (500, "{}");

        var forecast = await Source().ForecastAsync("DE", s_from, 24, TestContext.Current.CancellationToken);

        Assert.True(forecast.Fallback);
        Assert.Contains("answered 500", forecast.Reason, StringComparison.Ordinal);
        Assert.All(forecast.Hourly, v => Assert.Equal(ReferenceTables.Shipped.FindGridZone("DE")!.Gco2PerKwh, v));
    }

    [Fact]
    public async Task Forecast_NoAnswerWithinTheTimeout_FallsBackSayingSo()
    {
        _api.Hang["DE"] = true;

        var forecast = await Source(timeoutSeconds: 1).ForecastAsync("DE", s_from, 24, TestContext.Current.CancellationToken);

        Assert.True(forecast.Fallback);
        Assert.Contains("did not answer within 1 s", forecast.Reason, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadAnswers { get; } = new()
    {
        { "negative value", "forecastData[3].value" },
        { "value too high", "forecastData[3].value" },
        { "duration zero", "forecastData[3].duration" },
        { "timestamp missing", "forecastData[3].timestamp" },
        { "too few points", "covers no part of the hour" },
        { "not an array", "non-empty array" },
        { "no forecastData", "forecastData: required" },
        { "not JSON", "is not JSON" },
    };

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public async Task Forecast_BadAnswer_FallsBackNamingTheRule(string why, string rule)
    {
        _api.Answers["GB"] = (200, why switch
        {
            "negative value" => Answer("GB", 48, (p, i) => { if (i == 3) { p["value"] = -5; } }),
            "value too high" => Answer("GB", 48, (p, i) => { if (i == 3) { p["value"] = 1e6; } }),
            "duration zero" => Answer("GB", 48, (p, i) => { if (i == 3) { p["duration"] = 0; } }),
            "timestamp missing" => Answer("GB", 48, (p, i) => { if (i == 3) { p.Remove("timestamp"); } }),
            "too few points" => Answer("GB", 10),
            "not an array" => """{"forecastData": []}""",
            "no forecastData" => """[{"location": "GB"}]""",
            "not JSON" => "<html>maintenance</html>",
            _ => throw new ArgumentOutOfRangeException(nameof(why), why, "no such case"),
        });

        var forecast = await Source().ForecastAsync("GB", s_from, 24, TestContext.Current.CancellationToken);

        Assert.True(forecast.Fallback, why);
        Assert.Contains(rule, forecast.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("solar", "Federation:Carbon:Source")]
    [InlineData("http", "Federation:Carbon:HttpBaseUrl")]
    public void Options_Invalid_NameTheSetting(string source, string key)
    {
        var result = new CarbonOptionsValidator().Validate(null, new CarbonOptions { Source = source });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Options_HoursOutOfRange_NameTheSetting()
    {
        var result = new CarbonOptionsValidator().Validate(null, new CarbonOptions { Hours = 73, HttpTimeoutSeconds = 0 });

        Assert.Contains(result.Failures!, f => f.StartsWith("Federation:Carbon:Hours", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Federation:Carbon:HttpTimeoutSeconds", StringComparison.Ordinal));
    }
}
