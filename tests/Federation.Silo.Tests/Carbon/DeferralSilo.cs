using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Reference.Forecasts;
using Federation.Testing;

namespace Federation.Silo.Tests.Carbon;

/// <summary>
/// One embedded nation (FR) whose forecast is a series written for the hours around now: the current
/// hour and the next <see cref="DirtyHours"/> - 1 at <see cref="Dirty"/> gCO2e/kWh, every later hour at
/// <see cref="Clean"/>; so a deferrable job with slack always has a cleaner window a few hours ahead.
/// </summary>
public sealed class DeferralSilo : IAsyncLifetime
{
    /// <summary>Hours from the current one that are dirty.</summary>
    public const int DirtyHours = 4;

    /// <summary>The dirty hours' intensity.</summary>
    public const double Dirty = 120;

    /// <summary>The clean hours' intensity (above half of FR's annual reference, so not floored).</summary>
    public const double Clean = 40;

    private readonly string _series = Path.Combine(Path.GetTempPath(), $"deferral-series-{Guid.NewGuid():N}.csv");

    /// <summary>The silo.</summary>
    public SiloUnderTest Silo { get; private set; } = null!;

    /// <summary>The hour the series' dirty hours begin.</summary>
    public DateTimeOffset From { get; private set; }

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        From = ForecastHours.HourOf(DateTimeOffset.UtcNow);
        var csv = new StringBuilder("hour_utc,FR\n");
        for (var h = -24; h < 96; h++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{From.AddHours(h):yyyy-MM-ddTHH:00:00Z},{(h is >= 0 and < DirtyHours ? Dirty : Clean)}\n");
        }

        await File.WriteAllTextAsync(_series, csv.ToString(), TestContext.Current.CancellationToken);
        Silo = await SiloUnderTest.StartEmbeddedAsync(extra: new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Carbon:Source"] = "series",
            ["Federation:Carbon:SeriesPath"] = _series,
        });
        var ct = TestContext.Current.CancellationToken;
        await Http.ExpectAsync(await Silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("gpu-defer", leaseSeconds: 3600)), ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await Silo.Client.PostAsync("/api/v1/nodes/gpu-defer/heartbeat", Payloads.Json(new JsonObject()), ct), HttpStatusCode.OK);
        await Http.ExpectAsync(await Silo.Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("health-records")), ct), HttpStatusCode.Created);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        File.Delete(_series);
    }
}
