using Federation.Contracts.Jobs;
using Federation.Contracts.Peers;
using Federation.Reference;
using Federation.Reference.Forecasts;
using static Federation.Routing.Tests.RouterFixtures;

namespace Federation.Routing.Tests.Carbon;

/// <summary>
/// Time shifting on fake time with the shipped 2020 hourly series: a deferrable job waits for the cleanest
/// window that still meets its deadline, the decision says what that avoids, and a job without room runs now.
/// </summary>
public sealed class TimeShiftTests
{
    private const int RunHours = 4;
    private static readonly HourlyIntensitySeries s_series = HourlyIntensitySeries.Shipped2020;

    private static readonly Router s_router = new(Table);
    private static readonly string[] s_zones = ["DE", "GB"];

    private static IntensityForecast Forecast(string zone, DateTimeOffset from) =>
        new SeriesForecastSource(s_series, Table).ForecastAsync(zone, from, IntensityForecast.MaxHours, CancellationToken.None).AsTask().Result;

    private static CandidateNation Nation(string code, DateTimeOffset now) =>
        Reachable(Advert(RouterFixtures.Nation(code), Capacity(A100, 8, 8)) with { GridZone = code, Forecast = Forecast(code, now), GridIntensityGco2PerKwh = s_series.Find(code, now)!.Value });

    private static RoutingRequest Deferrable(DateTimeOffset now, TimeSpan slack, params CandidateNation[] nations)
    {
        var job = Job(WorkEstimate.Hours(RunHours, A100)) with { Deferrable = true, Deadline = now.AddHours(RunHours) + slack };
        return Request(job, nations) with { Now = now };
    }

    private static double WindowMean(string zone, DateTimeOffset start) =>
        Enumerable.Range(0, RunHours).Average(h => s_series.Find(zone, start.AddHours(h))!.Value);

    [Fact]
    public void PlanShifted_German2020Series_MovesJobsIntoTheCleanestFeasibleWindowAndMeetsEveryDeadline()
    {
        var deferred = 0;
        var avoided = 0.0;
        var days = 0;
        for (var day = 0; day < 366; day += 6, days++)
        {
            // 08:00 UTC, a working-day morning peak in the German grid, with 20 h of slack.
            var now = new DateTimeOffset(2020, 1, 1, 8, 0, 0, TimeSpan.Zero).AddDays(day);
            var request = Deferrable(now, TimeSpan.FromHours(20), Nation("DE", now));

            var decision = s_router.PlanShifted(request);

            var shift = decision.TimeShift ?? throw new InvalidOperationException($"{now:O}: a deferrable job's decision has no time shift");
            Assert.True(shift.FinishBy <= request.Spec.Deadline, $"{now:O}: finishes {shift.FinishBy:O}, after the deadline {request.Spec.Deadline:O}");
            var best = Enumerable.Range(0, 21).Select(h => now.AddHours(h)).MinBy(s => WindowMean("DE", s));
            Assert.Equal(best, shift.StartAt);
            Assert.True(WindowMean("DE", shift.StartAt) <= WindowMean("DE", now), $"{now:O}: the window is dirtier than now");
            Assert.Equal(shift.NowGco2e - shift.WindowGco2e, shift.AvoidedGco2e, 6);
            if (shift.Deferred)
            {
                deferred++;
                avoided += shift.AvoidedGco2e;
                Assert.True(shift.AvoidedGco2e > 0, $"{now:O}: deferred but avoids {shift.AvoidedGco2e} gCO2e");
                Assert.Contains("gCO2e avoided", decision.Summary, StringComparison.Ordinal);
                Assert.Equal(shift.Reason, decision.Summary[..shift.Reason.Length]);
            }
        }

        Assert.True(deferred >= days * 0.8, $"only {deferred} of {days} morning jobs moved to a cleaner window");
        Assert.True(avoided > 0);
    }

    [Fact]
    public void PlanShifted_NoRoomBeforeTheDeadline_RunsNow()
    {
        var now = new DateTimeOffset(2020, 3, 10, 8, 0, 0, TimeSpan.Zero);

        var decision = s_router.PlanShifted(Deferrable(now, TimeSpan.FromMinutes(30), Nation("DE", now)));

        var shift = Assert.IsType<Federation.Contracts.Routing.TimeShift>(decision.TimeShift);
        Assert.False(shift.Deferred);
        Assert.Equal(now, shift.StartAt);
        Assert.Equal(0, shift.AvoidedGco2e);
        Assert.StartsWith("runs now: no later start leaves room", decision.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanShifted_NotDeferrable_IsPlanUnchanged()
    {
        var now = new DateTimeOffset(2020, 3, 10, 8, 0, 0, TimeSpan.Zero);
        var request = Deferrable(now, TimeSpan.FromHours(20), Nation("DE", now));
        request = request with { Spec = request.Spec with { Deferrable = false } };

        var decision = s_router.PlanShifted(request);

        Assert.Null(decision.TimeShift);
        Assert.Equal(s_router.Plan(request), decision);
    }

    [Fact]
    public void DecideShifted_TwoSeries_ChoosesWhereAndWhenTogether()
    {
        var now = new DateTimeOffset(2020, 11, 4, 7, 0, 0, TimeSpan.Zero);

        var choice = s_router.DecideShifted(Deferrable(now, TimeSpan.FromHours(30), Nation("DE", now), Nation("GB", now)));

        var best = s_zones
            .SelectMany(zone => Enumerable.Range(0, 31).Select(h => (Zone: zone, Start: now.AddHours(h))))
            .OrderBy(w => WindowMean(w.Zone, w.Start)).ThenBy(w => w.Start).First();
        Assert.Equal(best.Zone, choice.Choice.Chosen?.Value);
        Assert.Equal(best.Start, choice.StartAt);
        Assert.Equal(RunHours, choice.WindowHours);
    }

    [Fact]
    public void DecideShifted_FlatForecasts_RunsNow()
    {
        var now = new DateTimeOffset(2020, 11, 4, 7, 0, 0, TimeSpan.Zero);
        var flat = Reachable(Advert(RouterFixtures.Nation("SE"), Capacity(A100, 8, 8)) with
        {
            Forecast = AnnualForecastSource.Flat(Table, "SE", now, IntensityForecast.MaxHours),
        });

        var choice = s_router.DecideShifted(Deferrable(now, TimeSpan.FromHours(30), flat));

        Assert.Equal(now, choice.StartAt);
        Assert.Equal("SE", choice.Choice.Chosen?.Value);
    }
}
