using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Contracts.Ids;
using Federation.Contracts.Routing;
using Federation.Reference;
using Federation.Routing.Energy;
using Federation.Testing;

namespace Federation.Silo.Tests;

/// <summary>The jobs API on one embedded nation that runs its own jobs on the simulated executor.</summary>
public sealed class JobApiTests : IAsyncLifetime
{
    private SiloUnderTest _silo = null!;

    private HttpClient Client => _silo.Client;

    public async ValueTask InitializeAsync()
    {
        _silo = await SiloUnderTest.StartEmbeddedAsync(extra: new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Executor:SecondsPerEstimatedHour"] = "1",
            ["Federation:Executor:ProgressSeconds"] = "0.2",
            ["Federation:Jobs:ReplanSeconds"] = "0.2",
        });
        var ct = TestContext.Current.CancellationToken;
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("gpu-jobs", leaseSeconds: 3600)), ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/nodes/gpu-jobs/heartbeat", Payloads.Json(new JsonObject()), ct), HttpStatusCode.OK);
    }

    public async ValueTask DisposeAsync() => await _silo.DisposeAsync();

    private static JsonObject Job(string id, int count = 1) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "alice" },
        ["purpose"] = new JsonObject { ["use"] = "GRU" },
        ["accelerators"] = new JsonObject { ["count"] = count },
        ["work"] = new JsonObject { ["acceleratorHours"] = 2, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 600,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
    };

    private async Task<(List<string> Ids, List<string> States)> ReadEventsAsync(string id, long? lastEventId, TimeSpan timeout)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{id}/events");
        if (lastEventId is { } last)
        {
            request.Headers.Add("Last-Event-ID", last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(timeout);
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var (ids, states) = (new List<string>(), new List<string>());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        while (await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                ids.Add(line[4..]);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                states.Add(line[7..]);
            }
        }

        return (ids, states);
    }

    [Fact]
    public async Task Events_FollowTheJobToTheEnd_ResumingAfterTheLastEndsAtOnce()
    {
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("sse-1")), TestContext.Current.CancellationToken), HttpStatusCode.Created);

        var (ids, states) = await ReadEventsAsync("sse-1", null, TimeSpan.FromSeconds(60));
        Assert.Equal(["submitted", "offered", "admitted", "running"], states.Distinct().Take(4));
        Assert.Equal("succeeded", states[^1]);
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), ids);

        await AssertBilledByTheEnergyModelAsync("sse-1");

        var (_, middle) = await ReadEventsAsync("sse-1", 2, TimeSpan.FromSeconds(10));
        Assert.Equal(states.Skip(2), middle);
        var (none, _) = await ReadEventsAsync("sse-1", long.Parse(ids[^1], System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(10));
        Assert.Empty(none);
    }

    /// <summary>
    /// The succeeded job's billed energy is what <see cref="EnergyModel"/> gives for its recorded run time, and (a
    /// simulated run lasting exactly its estimate) what the router estimated, to the watt-hour.
    /// </summary>
    private async Task AssertBilledByTheEnergyModelAsync(string id)
    {
        var ct = TestContext.Current.CancellationToken;
        var result = (await Client.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{id}", ct))!["result"]!;
        var decision = (await Client.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{id}/decision", ct))!["decision"]!;
        var score = decision["candidates"]!.AsArray().OfType<JsonObject>().Single(c => c["nation"]!.GetValue<string>() == decision["chosen"]!.GetValue<string>())["score"]!;
        var billedKwh = result["energyKwh"]!.GetValue<double>();

        var expected = EnergyModel.Of(
            PowerFigure.Tdp(ReferenceTables.Shipped.FindAccelerator(TypedId.Parse<AcceleratorSlug>("h100-sxm")), 1),
            result["runSeconds"]!.GetValue<double>() / 3600,
            score["pue"]!.GetValue<double>(),
            result["stagedBytes"]!.GetValue<long>(),
            ScoreWeights.Default.TransferKwhPerGb,
            score["gridIntensityGco2PerKwh"]!.GetValue<double>());

        Assert.Equal("tdp-estimate", result["energyMethod"]!.GetValue<string>());
        Assert.Equal(700, result["powerWatts"]!.GetValue<double>());
        Assert.InRange(Math.Abs(expected.TotalKwh - billedKwh), 0, 0.001);
        Assert.InRange(Math.Abs(score["computeKwh"]!.GetValue<double>() + score["transferKwh"]!.GetValue<double>() - billedKwh), 0, 0.001);
    }

    [Fact]
    public async Task PendingJob_PlannedAgainAndAgain_AddsNoEventsUntilSomethingChanges()
    {
        var ct = TestContext.Current.CancellationToken;
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("too-big", count: 64)), ct), HttpStatusCode.Created);
        var pending = await Eventually.WaitAsync(
            async () => await Http.ExpectAsync(await Client.GetAsync("/api/v1/jobs/too-big", ct), HttpStatusCode.OK),
            j => j["state"]!.GetValue<string>() == "planned",
            TimeSpan.FromSeconds(10), "the job pending");
        Assert.StartsWith("pending: no nation can run this job", pending["stateReason"]!.GetValue<string>(), StringComparison.Ordinal);

        // Re-planned every 0.2 s: wait for several more plans, then the events have not grown.
        var plannedAt = pending["decision"]!["decidedAt"]!.GetValue<DateTimeOffset>();
        await Eventually.WaitAsync(
            async () => await Http.ExpectAsync(await Client.GetAsync("/api/v1/jobs/too-big/decision", ct), HttpStatusCode.OK),
            d => d["decision"]!["decidedAt"]!.GetValue<DateTimeOffset>() > plannedAt,
            TimeSpan.FromSeconds(10), "the job planned again");
        var later = await Http.ExpectAsync(await Client.GetAsync("/api/v1/jobs/too-big", ct), HttpStatusCode.OK);
        Assert.Equal(pending["lastEvent"]!.GetValue<long>(), later["lastEvent"]!.GetValue<long>());

        var cancelled = await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs/too-big:cancel", Payloads.Json(new JsonObject { ["reason"] = "asked for too much" }), ct), HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled["state"]!.GetValue<string>());
        Assert.Equal("cancelled: asked for too much", cancelled["stateReason"]!.GetValue<string>());
        var again = await Http.ExpectProblemAsync(await Client.PostAsync("/api/v1/jobs/too-big:cancel", null, ct), HttpStatusCode.Conflict);
        Assert.Equal("cancelled", again["state"]!.GetValue<string>());
        await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/jobs/no-such-job", ct), HttpStatusCode.NotFound);
        await Http.ExpectProblemAsync(await Client.PostAsync("/api/v1/jobs/no-such-job:cancel", null, ct), HttpStatusCode.NotFound);
    }
}
