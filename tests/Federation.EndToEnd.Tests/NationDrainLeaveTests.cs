using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Fedctl;
using Federation.Protocol.Roster;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Issue 19's must-show on a launched 3-nation federation: jobs of DE run in SE; SE drains with
/// give-back (fedctl nation drain --give-back --wait), so every job re-routes at once and ends exactly
/// once (one succeeded execution, epoch 1 in SE given back, never a second run there); SE then leaves
/// by a roster version FR and DE sign (fedctl federation leave), and FR and DE keep federating.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class NationDrainLeaveTests(TrustFederation federation) : IClassFixture<TrustFederation>
{
    private static readonly string[] s_jobs = ["drain-1", "drain-2", "drain-3"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Job(string id, string input, double hours, double minMemoryGb) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "ana@example.org", ["consortium"] = "eu-research" },
        ["inputs"] = new JsonArray(input),
        ["purpose"] = new JsonObject { ["use"] = "HMB" },
        ["accelerators"] = new JsonObject { ["count"] = 1, ["minMemoryGb"] = minMemoryGb },
        ["work"] = new JsonObject { ["acceleratorHours"] = hours, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 1440,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
    };

    private Dictionary<string, string?> Fedctl(string nation) => new(StringComparer.Ordinal)
    {
        ["FEDCTL_CONFIG"] = Path.Combine(federation.WorkDirectory, "no-fedctl-config.json"),
        ["FEDCTL_URL"] = federation.State.Nations.Single(n => n.Code == nation).ApiUrl,
    };

    private async Task<(int Exit, string Output, string Error)> RunFedctlAsync(string nation, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await FedctlApp.RunAsync(args, output, error, TextReader.Null, Fedctl(nation), Ct);
        return (exit, output.ToString(), error.ToString());
    }

    private Task<JsonObject?> JobAsync(string origin, string id) => federation.Client(origin).GetFromJsonAsync<JsonObject>($"api/v1/jobs/{id}", Ct);

    private async Task<JsonObject?> ExecutionAsync(string nation, string job, int epoch)
    {
        using var response = await federation.Client(nation).GetAsync($"api/v1/executions/{job}/{epoch}", Ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
    }

    private static string State(JsonObject? node) => node?["state"]?.GetValue<string>() ?? "(none)";

    [Fact]
    public async Task Nation_DrainsWithGiveBackAndLeaves_NoJobLostOrRunTwice_PeersKeepFederating()
    {
        // DE's jobs on FR's open data need 80 GB cards (DE and SE have them): SE's grid is the cleanest, so they run in SE.
        foreach (var id in s_jobs)
        {
            using var submitted = await federation.Client("DE").PostAsJsonAsync("api/v1/jobs", Job(id, TrustFederation.OpenData, hours: 0.8, minMemoryGb: 80), Ct);
            Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync(Ct));
        }

        foreach (var id in s_jobs)
        {
            await Eventually.WaitAsync(() => JobAsync("DE", id), j => j?["nation"]?.GetValue<string>() == "SE" && State(j) == "running",
                TimeSpan.FromSeconds(30), $"DE/{id} to run in SE{federation.Diagnostics()}", TimeSpan.FromMilliseconds(200));
        }

        // Drain SE, giving its executions back, and wait until it is empty.
        var (exit, output, error) = await RunFedctlAsync("SE", "nation", "drain", "--give-back", "--reason", "SE leaves the federation", "--wait", "--interval", "0.5", "--timeout", "30");
        Assert.True(exit == 0, $"drain: exit {exit}: {output} {error}{federation.Diagnostics()}");
        Assert.Contains("gave 3 execution(s) back to their origins", output, StringComparison.Ordinal);
        Assert.Contains("RUNNING  LEASED  PENDING-OUTBOX", output, StringComparison.Ordinal);
        Assert.Contains("drained: nothing running, leased or pending", output, StringComparison.Ordinal);

        // A new offer to SE is refused by rule, and DE's router excludes SE as draining once its advert says so.
        await Eventually.WaitAsync(() => federation.PeerAsync("DE", "SE"), p => p?["lastAdvert"]?["draining"]?.GetValue<bool>() == true,
            TimeSpan.FromSeconds(15), $"DE to hear SE's draining advert{federation.Diagnostics()}", TimeSpan.FromMilliseconds(200));
        using (var planned = await federation.Client("DE").PostAsJsonAsync("api/v1/routes:plan", Job("plan-probe", TrustFederation.OpenData, 0.1, 80), Ct))
        {
            var plan = JsonNode.Parse(await planned.Content.ReadAsStringAsync(Ct))!;
            var se = plan["candidates"]!.AsArray().OfType<JsonObject>().Single(c => c["nation"]!.GetValue<string>() == "SE");
            Assert.Contains(se["exclusions"]!.AsArray(), e => e!["reason"]!.GetValue<string>() == "SE is draining: it admits no new jobs");
        }

        // Every job ends exactly once: given back by SE at epoch 1, then run in DE under a later epoch (an
        // offer SE refused as draining, before DE heard its advert, takes an epoch too); one run succeeded.
        foreach (var id in s_jobs)
        {
            var job = await Eventually.WaitAsync(() => JobAsync("DE", id), j => State(j) is "succeeded" or "failed" or "cancelled",
                TimeSpan.FromSeconds(60), $"DE/{id} to finish after the give-back{federation.Diagnostics()}", TimeSpan.FromMilliseconds(250));
            var last = job!["epoch"]!.GetValue<int>();
            Assert.True(State(job) == "succeeded" && last >= 2 && job["nation"]!.GetValue<string>() == "DE", job.ToJsonString());
            var admitted = job["admissions"]!.AsArray().Where(a => a!["admitted"]!.GetValue<bool>()).Select(a => (a!["nation"]!.GetValue<string>(), a["epoch"]!.GetValue<int>())).ToList();
            Assert.Equal([("SE", 1), ("DE", last)], admitted);
            Assert.All(job["admissions"]!.AsArray().Where(a => !a!["admitted"]!.GetValue<bool>()),
                a => Assert.StartsWith("SE is draining and admits no new jobs", a!["reason"]!.GetValue<string>(), StringComparison.Ordinal));

            var givenBack = await ExecutionAsync("SE", $"DE/{id}", 1);
            Assert.Equal("requeued", State(givenBack));
            Assert.StartsWith("given back: SE leaves the federation", givenBack!["stateReason"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("succeeded", State(await ExecutionAsync("DE", $"DE/{id}", last)));
            for (var epoch = 2; epoch <= last; epoch++)
            {
                // SE ran no later epoch: none exists there, or it was refused (failed at admission, never run).
                var later = await ExecutionAsync("SE", $"DE/{id}", epoch);
                Assert.True(later is null || later["admission"]!["admitted"]!.GetValue<bool>() == false, later?.ToJsonString());
            }

            for (var epoch = 1; epoch < last; epoch++)
            {
                Assert.Null(await ExecutionAsync("DE", $"DE/{id}", epoch));
            }
        }

        // SE leaves: fedctl proposes the roster without it, FR and DE (a quorum of 3) sign, DE submits.
        var proposal = Path.Combine(federation.WorkDirectory, "leave-se.json");
        (exit, output, error) = await RunFedctlAsync("SE", "federation", "leave", "--out", proposal);
        Assert.True(exit == 0, $"leave: exit {exit}: {output} {error}");
        Assert.Contains("SE is drained and empty", error, StringComparison.Ordinal);
        var unsigned = SignedRoster.Parse(await File.ReadAllTextAsync(proposal, Ct));
        Assert.DoesNotContain(unsigned.Nations, n => n.Code == "SE");
        var signed = unsigned with { Signatures = [RosterSigning.Sign(unsigned, "FR", federation.Certificate("FR")), RosterSigning.Sign(unsigned, "DE", federation.Certificate("DE"))] };
        using (var submitted = await federation.Client("DE").PostAsync("api/v1/roster/versions", new StringContent(signed.ToJson(), System.Text.Encoding.UTF8, "application/json"), Ct))
        {
            Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync(Ct));
        }

        foreach (var member in new[] { "FR", "DE" })
        {
            await Eventually.WaitAsync(() => federation.Client(member).GetFromJsonAsync<JsonObject>("api/v1/roster", Ct),
                r => r?["current"]?["version"]?.GetValue<long>() == signed.Version,
                TimeSpan.FromSeconds(20), $"{member} to hold roster version {signed.Version} without SE{federation.Diagnostics()}", TimeSpan.FromMilliseconds(200));
        }

        // SE's own log holds its decisions: the drain (with the operator's reason and the give-back) and, once the version was passed on to it, its leaving.
        var membership = await Eventually.WaitAsync(
            async () => (await federation.Client("SE").GetFromJsonAsync<JsonObject>("api/v1/audit/entries?kind=membership", Ct))!["items"]!.AsArray().OfType<JsonObject>().ToList(),
            items => items.Any(e => e["rule"]!.GetValue<string>() == "leave"),
            TimeSpan.FromSeconds(20), $"SE's membership entry for leaving by roster version {signed.Version}{federation.Diagnostics()}", TimeSpan.FromMilliseconds(200));
        Assert.Equal(["drain", "leave"], membership.Select(e => e["rule"]!.GetValue<string>()));
        Assert.Equal("SE leaves the federation", membership[0]["detail"]!["reason"]!.GetValue<string>());
        Assert.Equal("true", membership[0]["detail"]!["giveBack"]!.GetValue<string>());
        Assert.Equal("3", membership[0]["detail"]!["givenBack"]!.GetValue<string>());
        Assert.Equal(signed.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), membership[1]["detail"]!["version"]!.GetValue<string>());
        Assert.Equal("DE,FR", membership[1]["detail"]!["nations"]!.GetValue<string>());

        // The members dropped SE: DE's router no longer has it as a candidate.
        using (var planned = await federation.Client("DE").PostAsJsonAsync("api/v1/routes:plan", Job("plan-after", TrustFederation.OpenData, 0.1, 80), Ct))
        {
            var plan = JsonNode.Parse(await planned.Content.ReadAsStringAsync(Ct))!;
            Assert.DoesNotContain(plan["candidates"]!.AsArray(), c => c!["nation"]!.GetValue<string>() == "SE");
        }

        // FR and DE keep federating: a job of DE on FR's home-only cohort runs in FR.
        using (var submitted = await federation.Client("DE").PostAsJsonAsync("api/v1/jobs", Job("after-leave", TrustFederation.HealthCohort, 0.05, 40), Ct))
        {
            Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync(Ct));
        }

        var after = await Eventually.WaitAsync(() => JobAsync("DE", "after-leave"), j => State(j) is "succeeded" or "failed" or "cancelled",
            TimeSpan.FromSeconds(45), $"DE/after-leave to finish{federation.Diagnostics()}", TimeSpan.FromMilliseconds(250));
        Assert.True(State(after) == "succeeded" && after!["nation"]!.GetValue<string>() == "FR", after!.ToJsonString());
    }
}
