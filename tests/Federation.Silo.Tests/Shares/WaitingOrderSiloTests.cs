using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Grains.Nations;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Silo.Tests.Shares;

/// <summary>
/// Waiting work takes freed accelerators in the fair-share order, not in arrival order: one embedded nation
/// of 4 accelerators (local priority 0, so only the nations' factors rank) is full; five runs of a foreign
/// nation far over its share (it has no entitlement here and has used much) wait first, then two of this
/// nation's own, under its share. Each time accelerators are freed, this nation's next run starts while
/// the foreign ones keep waiting. With every waiting run racing for what is freed, this nation's run would
/// come first about twice in seven, and twice in a row about once in twenty. Waiting runs look again only
/// every 9 s here (<c>Federation:Executor:QueuedRecheckSeconds</c>): what starts them sooner is the ledger's wake-up.
/// </summary>
public sealed class WaitingOrderSiloTests : IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_recheck = TimeSpan.FromSeconds(9);
    private SiloUnderTest _silo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => _silo.Client;

    private string Local => _silo.Services.GetRequiredService<LocalNation>().Code.Value;

    private string Foreign => EmbeddedOffers.PeerOf(_silo);

    public async ValueTask InitializeAsync() =>
        _silo = await EmbeddedOffers.StartWithNodeAsync("gpu-a", new Dictionary<string, string?>
        {
            ["Federation:Shares:StudentQuota"] = "0",
            ["Federation:Shares:LocalPriority"] = "0",
            ["Federation:Nation:MaxForeignShare"] = "1",
            ["Federation:Executor:QueuedRecheckSeconds"] = s_recheck.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, Ct);

    public async ValueTask DisposeAsync() => await _silo.DisposeAsync();

    private static JsonObject Spec(string id) => EmbeddedOffers.LongSpec(id, 4);

    private async Task OfferFromAbroadAsync(string id)
    {
        var admission = await EmbeddedOffers.OfferAsync(_silo, Foreign, Spec(id));
        Assert.True(admission.Admitted, $"{Foreign}/{id} was not admitted: {admission.Reason}");
    }

    /// <summary>The state of the run's first epoch here; empty while it has not been offered here yet.</summary>
    private async Task<string> StateAsync(string origin, string id)
    {
        using var response = await Client.GetAsync($"/api/v1/executions/{origin}/{id}/1", Ct);
        return response.StatusCode == HttpStatusCode.NotFound
            ? ""
            : (await Http.ExpectAsync(response, HttpStatusCode.OK))["state"]!.GetValue<string>();
    }

    private async Task<string> ReasonAsync(string origin, string id) =>
        (await Http.ExpectAsync(await Client.GetAsync($"/api/v1/executions/{origin}/{id}/1", Ct), HttpStatusCode.OK))["stateReason"]!.GetValue<string>();

    /// <summary>Waits until <paramref name="done"/>; returns how long it took.</summary>
    private static async Task<TimeSpan> WaitForAsync(string what, Func<Task<bool>> done)
    {
        var deadline = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(deadline.Elapsed < s_wait, $"{what} within {s_wait.TotalSeconds} s");
            await Task.Delay(50, Ct);
        }

        return deadline.Elapsed;
    }

    /// <summary>Waits until one of <paramref name="waiting"/> runs; returns the running ones.</summary>
    private async Task<List<string>> FirstToRunAsync(IReadOnlyList<(string Origin, string Id)> waiting)
    {
        var running = new List<string>();
        await WaitForAsync("one of the waiting runs started once accelerators were freed", async () =>
        {
            foreach (var (origin, id) in waiting)
            {
                if (await StateAsync(origin, id) == "running")
                {
                    running.Add($"{origin}/{id}");
                }
            }

            return running.Count > 0;
        });
        return running;
    }

    [Fact]
    public async Task FreedAccelerators_WakeTheWaitingRun_BeforeItsOwnRecheck()
    {
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Spec("blocker")), Ct), HttpStatusCode.Created);
        await WaitForAsync("the first run fills the pool", async () => await StateAsync(Local, "blocker") == "running");
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Spec("waiter")), Ct), HttpStatusCode.Created);
        await WaitForAsync("the second run waits for accelerators", async () => await StateAsync(Local, "waiter") == "queued");

        // It has just looked and found none: left alone, it would look again some 9 s from now.
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs/blocker:cancel", Payloads.Json(new JsonObject { ["reason"] = "frees its accelerators" }), Ct), HttpStatusCode.OK);
        var started = await WaitForAsync("the waiting run starts once the accelerators are freed", async () => await StateAsync(Local, "waiter") == "running");

        Assert.True(started < s_recheck * 2 / 3, $"the waiting run started {started.TotalSeconds:0.0} s after the accelerators were freed: at its own recheck ({s_recheck.TotalSeconds} s), not woken by the ledger");
    }

    [Fact]
    public async Task FreedAccelerators_GoToTheUnderServedNationsWaitingRunFirst_NotToTheOverServedOneThatCameFirst()
    {
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Spec("fr-blocker")), Ct), HttpStatusCode.Created);
        await WaitForAsync("this nation's first run fills the pool", async () => await StateAsync(Local, "fr-blocker") == "running");

        var waiting = new List<(string Origin, string Id)>();
        foreach (var id in Enumerable.Range(1, 5).Select(i => $"abroad-{i}"))
        {
            await OfferFromAbroadAsync(id);
            await WaitForAsync($"{Foreign}/{id} waits for accelerators", async () => await StateAsync(Foreign, id) == "queued");
            waiting.Add((Foreign, id));
        }

        foreach (var id in new[] { "fr-1", "fr-2" })
        {
            await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Spec(id)), Ct), HttpStatusCode.Created);
            await WaitForAsync($"{Local}/{id} waits for accelerators", async () => await StateAsync(Local, id) == "queued");
            waiting.Add((Local, id));
        }

        // Each queued run's reason names its place: the last foreign run is behind the four before it, this
        // nation's second run behind its first only (the foreign runs rank below both).
        Assert.Contains("; 4 runs ranked ahead of it in line)", await ReasonAsync(Foreign, "abroad-5"), StringComparison.Ordinal);
        Assert.Contains("; 1 run ranked ahead of it in line)", await ReasonAsync(Local, "fr-2"), StringComparison.Ordinal);
        Assert.DoesNotContain("ranked ahead", await ReasonAsync(Local, "fr-1"), StringComparison.Ordinal);

        var shares = (await Client.GetFromJsonAsync<JsonObject>("/api/v1/shares", Ct))!["nations"]!.AsArray();
        var factor = (string nation) => shares.Single(n => n!["name"]!.GetValue<string>() == nation)!["factor"]!.GetValue<double>();
        Assert.True(factor(Local) > factor(Foreign), $"{Local}'s factor {factor(Local)} is not above {Foreign}'s {factor(Foreign)}");

        // Freed once: this nation's first waiting run starts, every foreign one still waits.
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs/fr-blocker:cancel", Payloads.Json(new JsonObject { ["reason"] = "frees its accelerators" }), Ct), HttpStatusCode.OK);
        Assert.Equal([$"{Local}/fr-1"], await FirstToRunAsync(waiting));
        waiting.Remove((Local, "fr-1"));

        // Freed again: the next of this nation's, though five foreign runs came before it.
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs/fr-1:cancel", Payloads.Json(new JsonObject { ["reason"] = "frees its accelerators" }), Ct), HttpStatusCode.OK);
        Assert.Equal([$"{Local}/fr-2"], await FirstToRunAsync(waiting));
        foreach (var (origin, id) in waiting.Where(w => w.Origin == Foreign))
        {
            Assert.Equal("queued", await StateAsync(origin, id));
        }

        // The two cancelled runs ended here, long before their walltime: no longer held (fr-2's 4 accelerators are), and charged
        // the seconds they ran, not their 4,000 estimated acc-h each; the foreign runs still waiting keep their estimates.
        await WaitForAsync($"{Local}'s two cancelled runs released, only fr-2's 4 accelerators held", async () =>
            (await Client.GetFromJsonAsync<JsonObject>("/api/v1/shares", Ct))!["nations"]!.AsArray()
                .Single(n => n!["name"]!.GetValue<string>() == Local)!["held"]!.GetValue<int>() == 4);
        var after = (await Client.GetFromJsonAsync<JsonObject>("/api/v1/shares", Ct))!["nations"]!.AsArray();
        var usage = (string nation) => after.Single(n => n!["name"]!.GetValue<string>() == nation)!["usage"]!.GetValue<double>();
        Assert.InRange(usage(Local), 4000 * 0.999, 4000 * 1.5);
        Assert.Equal(5 * 4000, usage(Foreign), 5 * 4000 * 0.001);
    }
}
