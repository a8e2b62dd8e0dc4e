using System.Net;
using System.Text.Json.Nodes;
using Federation.Grains.Nations;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Telemetry;

/// <summary>
/// A nation with a span file: a job it runs shows up in <c>GET /metrics</c> (transitions, admissions,
/// routing time) and in the span file (the request's span and the routing span, tagged with the job).
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("telemetry-").FullName;
    private SiloUnderTest _silo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string SpanFile => Path.Combine(_directory, "spans.jsonl");

    private string Nation => _silo.Services.GetRequiredService<LocalNation>().Code.Value;

    public async ValueTask InitializeAsync()
    {
        _silo = await SiloUnderTest.StartEmbeddedAsync(extra: new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Executor:SecondsPerEstimatedHour"] = "1",
            ["Federation:Telemetry:SpanFile"] = SpanFile,
        });
        await Http.ExpectAsync(await _silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("gpu-traced", leaseSeconds: 3600)), Ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await _silo.Client.PostAsync("/api/v1/nodes/gpu-traced/heartbeat", Payloads.Json(new JsonObject()), Ct), HttpStatusCode.OK);
    }

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task JobRun_CountedInMetrics_AndItsSpansCarryTheJob()
    {
        await DemoJob.RunToSuccessAsync(_silo.Client, "traced-1", Ct);

        using var metrics = await _silo.Client.GetAsync("/metrics", Ct);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        var text = await metrics.Content.ReadAsStringAsync(Ct);
        Assert.Contains("federation_job_transitions_total{", text, StringComparison.Ordinal);
        Assert.Contains("state=\"succeeded\"", text, StringComparison.Ordinal);
        Assert.Contains("federation_admissions_total{", text, StringComparison.Ordinal);
        Assert.Contains("outcome=\"admitted\"", text, StringComparison.Ordinal);
        Assert.Contains("federation_routing_decision_duration_milliseconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("federation_job_energy_kWh_total", text, StringComparison.Ordinal);
        Assert.Contains("federation_outbox_depth ", text, StringComparison.Ordinal);
        Assert.Contains("federation_outbox_oldest_age_seconds ", text, StringComparison.Ordinal);

        // Spans are written in batches every 500 ms: wait for the routing span of the job.
        var job = $"{Nation}/traced-1";
        List<JsonObject> spans = [];
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (!spans.Any(s => s["name"]!.GetValue<string>() == "route"))
        {
            spans = File.Exists(SpanFile)
                ? [.. (await ReadSharedAsync(SpanFile)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())]
                : [];
            Assert.True(spans.Any(s => s["name"]!.GetValue<string>() == "route") || DateTimeOffset.UtcNow < deadline, $"no routing span in {SpanFile} within 30 s ({spans.Count} spans)");
            if (!spans.Any(s => s["name"]!.GetValue<string>() == "route"))
            {
                await Task.Delay(100, Ct);
            }
        }

        var route = spans.First(s => s["name"]!.GetValue<string>() == "route");
        Assert.Equal(job, route["tags"]!["federation.job"]!.GetValue<string>());
        Assert.Equal(Nation, route["nation"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{32}$", route["traceId"]!.GetValue<string>());
        Assert.Contains(spans, s => s["kind"]!.GetValue<string>() == "server" && s["tags"]!["url.path"]?.GetValue<string>() == "/api/v1/jobs");
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(Ct);
    }
}
