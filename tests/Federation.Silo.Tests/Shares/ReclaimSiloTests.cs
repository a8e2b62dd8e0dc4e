using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Federation.Silo.Tests.Shares;

/// <summary>
/// Reclaim through one embedded nation (<see cref="ReclaimSilo"/>): climate fills its half and borrows health's idle
/// half; health's demand arrives and the borrowed run is signalled to checkpoint, then given back to its origin when its
/// checkpoint grace ends with a reason that starts with <c>reclaimed</c>, requeued under a new epoch, not lent the freed accelerators again, and health runs within the grace.
/// </summary>
public sealed class ReclaimSiloTests(ReclaimSilo fixture) : IClassFixture<ReclaimSilo>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    // 30 days of walltime; thousands of estimated hours (a second each here) outlast the scenario.
    private const double Long = 43200;

    private HttpClient Client => fixture.Silo.Client;

    private static JsonObject Job(string id, string consortium) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "alice", ["consortium"] = consortium },
        ["purpose"] = new JsonObject { ["use"] = "GRU" },
        ["accelerators"] = new JsonObject { ["count"] = 4 },
        ["work"] = new JsonObject { ["acceleratorHours"] = 8000, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = Long,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
    };

    private async Task<JsonObject> WaitAsync(string id, string phase, Func<JsonObject, bool> done)
    {
        var ct = TestContext.Current.CancellationToken;
        var deadline = DateTimeOffset.UtcNow + s_wait;
        while (true)
        {
            var job = (await Client.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{id}", ct))!;
            if (done(job))
            {
                return job;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"{phase}: job {id} did not get there within {s_wait.TotalSeconds} s (state {job["state"]}, {job["stateReason"]})");
            await Task.Delay(100, ct);
        }
    }

    private static bool Running(JsonObject job) => job["state"]?.GetValue<string>() is "running";

    private static IEnumerable<JsonNode> Admissions(JsonObject job) => (job["admissions"] as JsonArray ?? []).OfType<JsonNode>();

    /// <summary>Reads the job's event stream from the start until an event's data contains <paramref name="text"/>; returns that line and its place among the events.</summary>
    private async Task<(int Index, string Line)> EventSayingAsync(string id, string text)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(s_wait);
        using var response = await Client.GetAsync($"/api/v1/jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        var index = 0;
        try
        {
            while (await reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains(text, StringComparison.Ordinal))
                {
                    return (index, line);
                }

                index += line.StartsWith("data: ", StringComparison.Ordinal) ? 1 : 0;
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
        }

        Assert.Fail($"job {id}'s events did not say '{text}' within {s_wait.TotalSeconds} s");
        return (-1, "");
    }

    [Fact]
    public async Task OwnersDemandArrives_BorrowedRunIsGivenBackReclaimedAndTheOwnerRunsWithinTheGrace()
    {
        var ct = TestContext.Current.CancellationToken;
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("climate-1", "climate")), ct), HttpStatusCode.Created);
        await WaitAsync("climate-1", "climate fills its quota", Running);
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("climate-2", "climate")), ct), HttpStatusCode.Created);
        var borrower = await WaitAsync("climate-2", "climate borrows health's idle half", Running);
        Assert.Contains("borrowed (reclaimable)", Admissions(borrower).Single()["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        var lent = (await Client.GetFromJsonAsync<JsonObject>("/api/v1/shares", ct))!["borrowedRuns"]!.AsArray().Single()!;
        Assert.EndsWith("/climate-2", lent["job"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("climate", lent["consortium"]!.GetValue<string>());
        Assert.Equal(4, lent["accelerators"]!.GetValue<int>());

        var asked = Stopwatch.StartNew();
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("health-1", "health")), ct), HttpStatusCode.Created);
        await WaitAsync("health-1", "health's demand gets its half back", Running);
        asked.Stop();
        Assert.True(asked.Elapsed < ReclaimSilo.Grace, $"health ran {asked.Elapsed.TotalSeconds:0.0} s after its demand, over the reclaim grace of {ReclaimSilo.Grace.TotalSeconds} s");
        Assert.True(asked.Elapsed >= ReclaimSilo.CheckpointGrace, $"health ran {asked.Elapsed.TotalSeconds:0.0} s after its demand, before the borrower's checkpoint grace of {ReclaimSilo.CheckpointGrace.TotalSeconds} s ended");

        // Signalled to checkpoint first, given back (stopped, requeued) when the checkpoint grace ended.
        var signalled = await EventSayingAsync("climate-2", "signalled to checkpoint: reclaimed: ");
        Assert.Contains($"(checkpoint grace {ReclaimSilo.CheckpointGrace.TotalSeconds} s)", signalled.Line, StringComparison.Ordinal);
        var reclaimed = await EventSayingAsync("climate-2", "given back: reclaimed: ");
        Assert.True(signalled.Index < reclaimed.Index, $"the checkpoint signal (event {signalled.Index}) comes before the give-back (event {reclaimed.Index})");
        Assert.Contains("gave epoch 1 back: given back: reclaimed: FR (consortium health) needs 4 accelerators within its shares", reclaimed.Line.Replace("\\u0027", "'", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains($"the run was stopped when its checkpoint grace of {ReclaimSilo.CheckpointGrace.TotalSeconds} s ended", reclaimed.Line, StringComparison.Ordinal);
        var origin = (await Client.GetFromJsonAsync<JsonObject>("/api/v1/jobs/climate-2", ct))!["ref"]!.GetValue<string>().Split('/')[0];
        var epoch1 = (await Client.GetFromJsonAsync<JsonObject>($"/api/v1/executions/{origin}/climate-2/1", ct))!;
        Assert.Equal("requeued", epoch1["state"]!.GetValue<string>());
        Assert.Contains("signalled to checkpoint and is requeued", epoch1["stateReason"]!.GetValue<string>(), StringComparison.Ordinal);
        var checkpoint = epoch1["checkpoint"]!;
        Assert.StartsWith("reclaimed: ", checkpoint["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(ReclaimSilo.CheckpointGrace, checkpoint["giveBackBy"]!.GetValue<DateTimeOffset>() - checkpoint["askedAt"]!.GetValue<DateTimeOffset>());

        // Requeued under a new epoch and offered again: not lent the freed half (the hold, or health now holds it).
        var requeued = await WaitAsync("climate-2", "the reclaimed job is offered again and refused", j => Admissions(j).Any(a => a["epoch"]!.GetValue<int>() > 1 && a["admitted"]!.GetValue<bool>() == false));
        var refusal = Admissions(requeued).First(a => a["epoch"]!.GetValue<int>() > 1)["reason"]!.GetValue<string>();
        Assert.True(refusal.StartsWith("reclaim: ", StringComparison.Ordinal) || refusal.StartsWith("consortium-quota: ", StringComparison.Ordinal), refusal);
        Assert.NotEqual("running", requeued["state"]!.GetValue<string>());
        Assert.True(Running((await Client.GetFromJsonAsync<JsonObject>("/api/v1/jobs/climate-1", ct))!), "climate-1, within its quota, was not reclaimed");
        Assert.Empty((await Client.GetFromJsonAsync<JsonObject>("/api/v1/shares", ct))!["borrowedRuns"]!.AsArray());
    }
}
