using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Federation.Testing;

namespace Federation.Silo.Tests.Telemetry;

/// <summary>
/// A nation on PostgreSQL counts its group commit in <c>GET /metrics</c>: the jobs grain storage's writes and the
/// transactions that committed them, as many as the silo has done when the metrics are read.
/// </summary>
public sealed partial class PipelineMetricsTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;
    private SiloUnderTest _silo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync(nameof(PipelineMetricsTests));
        _silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString, new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Executor:SecondsPerEstimatedHour"] = "1",
        });
        await Http.ExpectAsync(await _silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("gpu-counted", leaseSeconds: 3600)), Ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await _silo.Client.PostAsync("/api/v1/nodes/gpu-counted/heartbeat", Payloads.Json(new JsonObject()), Ct), HttpStatusCode.OK);
    }

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task JobRuns_OnPostgres_JobsStoragesWritesAndTransactionsCounted_AndTheyGrow()
    {
        await DemoJob.RunToSuccessAsync(_silo.Client, "counted-1", Ct);
        var (writes1, transactions1) = await JobsStorageAsync();
        Assert.True(transactions1 > 0, $"no transaction of the jobs storage counted after a job ran ({writes1} writes)");
        Assert.True(writes1 >= transactions1, $"{writes1} writes in {transactions1} transactions: a transaction commits at least one write");

        await DemoJob.RunToSuccessAsync(_silo.Client, "counted-2", Ct);
        var (writes2, transactions2) = await JobsStorageAsync();
        Assert.True(writes2 > writes1 && transactions2 > transactions1, $"the second job's writes were not counted: {writes1}/{transactions1} then {writes2}/{transactions2}");
    }

    private async Task<(long Writes, long Transactions)> JobsStorageAsync()
    {
        using var response = await _silo.Client.GetAsync("/metrics", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (Counter(text, "federation_storage_writes_total"), Counter(text, "federation_storage_transactions_total"));
    }

    private static long Counter(string text, string name)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains("storage=\"jobs\"", StringComparison.Ordinal));
        Assert.True(line is not null, $"no {name} of the jobs storage in GET /metrics");
        return (long)double.Parse(Value().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\} ([0-9.eE+]+)")]
    private static partial Regex Value();
}

/// <summary>A disposed pipeline's totals stay in the counters (they never go down), once.</summary>
public sealed class PipelineMetricsRetireTests
{
    [Fact]
    public void RetiredStorage_KeepsItsTotalsInTheSum_Once_AndALiveOneAddsToThem()
    {
        var name = $"retire-{Guid.NewGuid():N}";
        var first = new object();
        Federation.Silo.Telemetry.PipelineMetrics.TrackStorage(first, name, () => (7, 2));
        Assert.Equal(7, Read("federation.storage.writes", name));

        Federation.Silo.Telemetry.PipelineMetrics.RetireStorage(first);
        Federation.Silo.Telemetry.PipelineMetrics.RetireStorage(first);
        Assert.Equal(7, Read("federation.storage.writes", name));

        var second = new object();
        Federation.Silo.Telemetry.PipelineMetrics.TrackStorage(second, name, () => (5, 1));
        Assert.Equal(12, Read("federation.storage.writes", name));
        Assert.Equal(3, Read("federation.storage.transactions", name));
        GC.KeepAlive(second);
    }

    private static long Read(string instrument, string storage)
    {
        long? value = null;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == Federation.Grains.Diagnostics.FederationMetrics.MeterName && i.Name == instrument)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "storage" && tag.Value as string == storage)
                {
                    value = measurement;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return value ?? throw new Xunit.Sdk.XunitException($"no {instrument} measurement for storage {storage}");
    }
}
