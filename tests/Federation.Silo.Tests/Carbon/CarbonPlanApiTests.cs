using System.Net;
using System.Text.Json.Nodes;
using Federation.Execution.Workloads;
using Federation.Grains.Execution;
using Federation.Reference;
using Federation.Reference.Forecasts;
using Federation.Silo.Carbon;
using Federation.Silo.Demo;
using Federation.Silo.Peering;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Carbon;

/// <summary>
/// Carbon on one embedded nation (FR, forecast source <c>series</c>): a deferrable job's plan carries the
/// time shift in its record and summary; <c>deferrable</c> without a deadline is refused naming the field;
/// the advert carries the forecast, and a failing source is flagged in it.
/// </summary>
public sealed class CarbonPlanApiTests(RoutePlanSilo fixture) : IClassFixture<RoutePlanSilo>
{
    private static JsonObject Job(bool deferrable, DateTimeOffset? deadline) => new()
    {
        ["id"] = "carbon-1",
        ["owner"] = new JsonObject { ["user"] = "alice@example.org", ["consortium"] = "onco" },
        ["inputs"] = new JsonArray("FR/health-records"),
        ["purpose"] = new JsonObject { ["use"] = "HMB", ["ethicsApprovalReference"] = "IRB-7" },
        ["accelerators"] = new JsonObject { ["count"] = 2, ["models"] = new JsonArray("h100-sxm") },
        ["work"] = new JsonObject { ["acceleratorHours"] = 10, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 600,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0", ["arguments"] = new JsonObject { ["epochs"] = 3 } },
        ["deferrable"] = deferrable,
        ["deadline"] = deadline?.ToString("O"),
    };

    private Task<HttpResponseMessage> PlanAsync(JsonObject job) =>
        fixture.Silo.Client.PostAsync("/api/v1/routes:plan", Payloads.Json(job), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Plan_DeferrableJob_RecordShowsNowVersusTheCleanestWindow()
    {
        var decision = await Http.ExpectAsync(await PlanAsync(Job(true, DateTimeOffset.UtcNow.AddHours(40))), HttpStatusCode.OK);

        var shift = decision["timeShift"]!.AsObject();
        var summary = decision["summary"]!.GetValue<string>();
        Assert.Equal("FR", shift["nowNation"]!.GetValue<string>());
        Assert.True(shift["nowGco2e"]!.GetValue<double>() > 0);
        Assert.True(shift["windowsCompared"]!.GetValue<int>() > 1);
        Assert.StartsWith(shift["reason"]!.GetValue<string>(), summary, StringComparison.Ordinal);
        if (shift["deferred"]!.GetValue<bool>())
        {
            // FR's 2020 series swings: the job waits for the cleaner window, which the record names with what it avoids.
            Assert.True(shift["windowGco2e"]!.GetValue<double>() < shift["nowGco2e"]!.GetValue<double>(), summary);
            Assert.True(shift["avoidedGco2e"]!.GetValue<double>() > 0, summary);
            Assert.Contains("gCO2e avoided", summary, StringComparison.Ordinal);
        }
        else
        {
            Assert.StartsWith("runs now: no later start before the deadline scores better", summary, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Plan_NotDeferrable_HasNoTimeShift()
    {
        var decision = await Http.ExpectAsync(await PlanAsync(Job(false, DateTimeOffset.UtcNow.AddHours(40))), HttpStatusCode.OK);

        Assert.Null(decision["timeShift"]);
    }

    [Fact]
    public async Task Plan_DeferrableWithoutDeadline_Returns400NamingDeferrable()
    {
        var problem = await Http.ExpectInvalidFieldAsync(await PlanAsync(Job(true, null)), "deferrable");

        Assert.Contains("needs a deadline", problem["errors"]!["deferrable"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Advert_SeriesSource_CarriesTheForecastOfTheHoursAhead()
    {
        var advert = await fixture.Silo.Services.GetRequiredService<AdvertBuilder>().BuildAsync(TestContext.Current.CancellationToken);

        var forecast = Assert.IsType<Federation.Contracts.Peers.IntensityForecast>(advert.Forecast);
        Assert.False(forecast.Fallback);
        Assert.StartsWith("series:", forecast.Source, StringComparison.Ordinal);
        Assert.Equal(48, forecast.Hourly.Length);
        Assert.Equal(ForecastHours.HourOf(DateTimeOffset.UtcNow), forecast.From);
        Assert.True(forecast.Max > forecast.Min, "FR's 2020 series swings over two days");
    }

    [Fact]
    public async Task Advert_HttpSourceFails_FallsBackToTheAnnualFigureAndSaysSoInTheAdvert()
    {
        await using var api = await FakeCarbonApi.StartAsync();
        api.Answers["FR"] = (503, "{}");
        var services = fixture.Silo.Services;
        using var client = new HttpClient();
        var reference = services.GetRequiredService<ReferenceTables>();
        var forecasts = new CarbonForecasts(
            new FallbackForecastSource(new HttpForecastSource(client, api.BaseUrl, null, TimeSpan.FromSeconds(5)), reference),
            new CarbonOptions { Source = "http", HttpBaseUrl = api.BaseUrl.ToString() },
            TimeProvider.System);
        var builder = new AdvertBuilder(
            services.GetRequiredService<IGrainFactory>(), services.GetRequiredService<NationCapacity>(), services.GetRequiredService<WorkloadCatalogue>(),
            reference, services.GetRequiredService<DemoSettings>(), forecasts, TimeProvider.System);

        var advert = await builder.BuildAsync(TestContext.Current.CancellationToken);

        var forecast = Assert.IsType<Federation.Contracts.Peers.IntensityForecast>(advert.Forecast);
        Assert.True(forecast.Fallback);
        Assert.Contains("answered 503", forecast.Reason, StringComparison.Ordinal);
        Assert.All(forecast.Hourly, v => Assert.Equal(reference.FindGridZone(advert.GridZone)!.Gco2PerKwh, v));
        Assert.Equal("FR", Assert.Single(api.Asked));
        var errors = AdvertValidator.Validate(advert, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        Assert.True(errors.IsEmpty, errors.IsEmpty ? "" : errors.Summary());
    }
}
