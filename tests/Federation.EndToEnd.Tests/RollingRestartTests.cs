using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Fedctl.Local;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// A rolling restart of a two-silo nation while jobs flow to it across a border (the steps of
/// docs/operations.md, "Rolling upgrades"): each silo in turn is stopped as an operator would
/// (SIGTERM), its grains move to the other, a replacement joins, and the roster's federation
/// endpoint, which a load balancer would hold, moves off the silo about to stop. No job is lost,
/// none runs twice, and the origin sees one contiguous history per job.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(JobScenarios.Name)]
public sealed class RollingRestartTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    [Fact]
    public async Task TwoSiloNation_RestartedOneSiloAtATime_WhileDeSubmits_EveryJobSucceedsOnceInFr()
    {
        var ct = TestContext.Current.CancellationToken;
        // A lease long enough that a restart on a loaded machine cannot expire one: the test is about
        // jobs surviving a planned restart without a second run, not about fencing.
        await using var federation = await JobFederation.StartAsync(
            new Dictionary<string, (string, string, int)[]> { ["FR"] = [("fr-a100", "a100-80gb-sxm", 4)] },
            new Dictionary<string, IReadOnlyList<string>>
            {
                ["*"] = ["--Federation:Jobs:LeaseSeconds=40", "--Federation:Jobs:GraceSeconds=20"],
                // Every job is DE's: FR lends all its accelerators, so no offer is refused and each job keeps epoch 1.
                ["FR"] = ["--Federation:Nation:MaxForeignShare=1"],
            },
            ["FR", "DE"]);
        await federation.RegisterDatasetAsync("FR/cancer-registry", 1_000_000, "homeOnly", new JsonObject { ["permission"] = "HMB" });
        var first = federation.Nation("FR");
        var second = await federation.AddSiloAsync("FR");
        await WaitForTwoSilosAsync(federation, second);

        var jobs = new List<string>();
        async Task SubmitAsync(string id)
        {
            await federation.SubmitAsync("DE", JobFederation.Job(id, "FR/cancer-registry", estimatedHours: 2));
            jobs.Add(id);
        }

        await SubmitAsync("before-1");
        await SubmitAsync("before-2");
        await federation.WaitJobAsync("DE", "before-1", j => j["state"]!.GetValue<string>() == "running", s_timeout, "DE/before-1 running in FR");

        // Silo 2 first: stopped, its grains move to silo 1, a replacement (silo 3) joins.
        var clock = Stopwatch.StartNew();
        Assert.True(LocalFederation.Stop(second.Pid), "FR's second silo was running");
        await SubmitAsync("during-1");
        var third = await federation.AddSiloAsync("FR");
        await WaitForTwoSilosAsync(federation, third);
        Log($"silo 2 replaced by silo 3 in {JobFederation.Elapsed(clock)}");

        // Silo 1, behind the roster's federation endpoint: the endpoint moves to silo 3 first, as a
        // load balancer drains a backend before it stops; then silo 1 stops and silo 4 joins.
        await federation.MoveFederationEndpointAsync("FR", third);
        clock.Restart();
        await federation.Launcher.StopNationAsync("FR");
        await SubmitAsync("during-2");
        var fourth = await federation.AddSiloAsync("FR");
        await WaitForTwoSilosAsync(federation, fourth);
        Log($"silo 1 replaced by silo 4 in {JobFederation.Elapsed(clock)}");
        await SubmitAsync("after-1");

        using var fr = JobFederation.Client(fourth.ApiUrl, "FR");
        foreach (var id in jobs)
        {
            var done = await federation.WaitJobAsync("DE", id, j => j["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled",
                s_timeout, $"DE/{id} finished after FR's rolling restart{federation.Diagnostics()}");
            var events = await federation.WatchAsync("DE", id, TimeSpan.FromSeconds(30));
            Log($"DE/{id}:{Environment.NewLine}{string.Join(Environment.NewLine, events.Select(e => $"  {e["sequence"]} {e["state"]} e{e["epoch"]} {e["nation"]}: {e["message"]}"))}");
            Assert.True(done["state"]!.GetValue<string>() == "succeeded", $"DE/{id}: {done.ToJsonString()}{federation.Diagnostics()}");
            Assert.Equal("FR", done["nation"]!.GetValue<string>());
            Assert.True(done["epoch"]!.GetValue<int>() == 1, $"DE/{id} ran at epoch {done["epoch"]}{federation.Diagnostics()}");
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e["sequence"]!.GetValue<long>()));
            Assert.Single(events, e => e["state"]!.GetValue<string>() == "succeeded");
            Assert.DoesNotContain(events, e => e["state"]!.GetValue<string>() == "requeued");

            // One run: FR's execution of epoch 1 succeeded, and no second epoch exists.
            var execution = await fr.GetFromJsonAsync<JsonObject>($"api/v1/executions/DE/{id}/1", ct);
            Assert.Equal("succeeded", execution!["state"]!.GetValue<string>());
            using var none = await fr.GetAsync($"api/v1/executions/DE/{id}/2", ct);
            Assert.False(none.IsSuccessStatusCode, $"FR has an epoch 2 of DE/{id}");
        }
    }

    private static async Task WaitForTwoSilosAsync(JobFederation federation, LocalNationState silo)
    {
        using var client = JobFederation.Client(silo.ApiUrl, "FR");
        await Eventually.WaitAsync(
            async () => (await client.GetFromJsonAsync<JsonObject>("dashboard/DashboardCounters", TestContext.Current.CancellationToken))?["totalActiveHostCount"]?.GetValue<int>() ?? 0,
            n => n == 2, TimeSpan.FromSeconds(90), $"FR's two silos in one cluster, seen from pid {silo.Pid}{federation.Diagnostics()}");
    }
}
