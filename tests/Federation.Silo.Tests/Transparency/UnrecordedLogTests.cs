using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Silo.Transparency;
using Federation.Testing;
using Federation.Transparency;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Transparency;

/// <summary>
/// <c>Federation:Transparency:Record=false</c> (for measuring the log's cost only): a job still runs
/// to its end, its decisions are encoded and dropped, and the log stays empty.
/// </summary>
public sealed class UnrecordedLogTests : IAsyncLifetime
{
    private SiloUnderTest _silo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _silo = await SiloUnderTest.StartEmbeddedAsync(extra: new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Executor:SecondsPerEstimatedHour"] = "1",
            ["Federation:Transparency:Record"] = "false",
        });
        await Http.ExpectAsync(await _silo.Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("gpu-quiet", leaseSeconds: 3600)), Ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await _silo.Client.PostAsync("/api/v1/nodes/gpu-quiet/heartbeat", Payloads.Json(new JsonObject()), Ct), HttpStatusCode.OK);
    }

    public async ValueTask DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task RecordOff_JobSucceeds_EntriesDroppedNotStored()
    {
        var log = Assert.IsType<DiscardingTransparencyLog>(_silo.Services.GetRequiredService<ITransparencyLog>());
        await Http.ExpectAsync(await _silo.Client.PostAsync("/api/v1/jobs", Payloads.Json(new JsonObject
        {
            ["id"] = "unrecorded-1",
            ["owner"] = new JsonObject { ["user"] = "alice" },
            ["purpose"] = new JsonObject { ["use"] = "GRU" },
            ["accelerators"] = new JsonObject { ["count"] = 1 },
            ["work"] = new JsonObject { ["acceleratorHours"] = 1, ["referenceAccelerator"] = "a100-80gb-sxm" },
            ["walltimeMinutes"] = 600,
            ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
        }), Ct), HttpStatusCode.Created);

        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        var state = "";
        while (state != "succeeded")
        {
            state = (await _silo.Client.GetFromJsonAsync<JsonObject>("/api/v1/jobs/unrecorded-1", Ct))!["state"]!.GetValue<string>();
            Assert.True(state == "succeeded" || DateTimeOffset.UtcNow < deadline, $"job unrecorded-1 did not succeed within 60 s (state {state})");
            if (state != "succeeded")
            {
                await Task.Delay(100, Ct);
            }
        }

        Assert.True(log.Dropped >= 2, $"a routing decision and an admission were expected to be dropped, {log.Dropped} were");
        var page = await Http.ExpectAsync(await _silo.Client.GetAsync("/api/v1/audit/entries", Ct), HttpStatusCode.OK);
        Assert.Empty(page["items"]!.AsArray());
        Assert.Equal(0, await log.SizeAsync(Ct));
    }
}
