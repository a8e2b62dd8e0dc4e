using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Fedctl.Local;
using Federation.Protocol;
using Federation.Protocol.Roster;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Failures while a job runs across borders, on real processes, PostgreSQL and mutual TLS: the
/// executing nation killed, one of its two silos killed, the link between two nations cut.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(JobScenarios.Name)]
public sealed class JobFailureTests
{
    private static readonly IReadOnlyDictionary<string, (string, string, int)[]> s_a100Everywhere = new Dictionary<string, (string, string, int)[]>
    {
        ["FR"] = [("fr-a100", "a100-80gb-sxm", 4)],
        ["DE"] = [("de-a100", "a100-80gb-sxm", 4)],
        ["SE"] = [("se-a100", "a100-80gb-sxm", 4)],
    };

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    private static string Describe(IEnumerable<JsonObject> events) =>
        string.Join(Environment.NewLine, events.Select(e => $"  {e["sequence"]} {e["state"]} e{e["epoch"]} {e["nation"]}: {e["message"]}"));

    [Fact]
    public async Task ExecutingNationKilledMidRun_RerunsElsewhereWithNextEpoch_OneResult_StaleRunFencedWhenItReturns()
    {
        await using var federation = await JobFederation.StartAsync(s_a100Everywhere);
        await federation.RegisterDatasetAsync("DE/open-corpus", 1_000_000, "anywhere", new JsonObject { ["permission"] = "GRU" });

        // SE has the cleanest grid: it runs the job first.
        await federation.SubmitAsync("DE", JobFederation.Job("corpus-train", "DE/open-corpus", use: "GRU", estimatedHours: 3));
        await federation.WaitJobAsync("DE", "corpus-train", j => j["state"]!.GetValue<string>() == "running" && j["nation"]!.GetValue<string>() == "SE",
            TimeSpan.FromSeconds(60), "the job running in SE");

        var clock = Stopwatch.StartNew();
        await federation.Launcher.KillNationAsync("SE");
        var rerun = await federation.WaitJobAsync("DE", "corpus-train", j => j["state"]!.GetValue<string>() == "succeeded",
            TimeSpan.FromSeconds(90), "the job re-routed after SE's lease + grace and finished elsewhere");
        Log($"SE killed; job succeeded in {rerun["nation"]} at epoch {rerun["epoch"]} {JobFederation.Elapsed(clock)} later");

        Assert.Equal(2, rerun["epoch"]!.GetValue<int>());
        Assert.NotEqual("SE", rerun["nation"]!.GetValue<string>());
        var events = (await federation.WatchAsync("DE", "corpus-train", TimeSpan.FromSeconds(30))).ToList();
        var requeued = Assert.Single(events, e => e["state"]!.GetValue<string>() == "requeued");
        Assert.StartsWith("lease of SE on epoch 1 expired", requeued["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(events, e => e["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled" or "timedOut");

        // SE comes back: its stale run of epoch 1 is fenced, and nothing it says changes the job.
        var lastEvent = rerun["lastEvent"]!.GetValue<long>();
        await federation.Launcher.StartNationAsync("SE", TestContext.Current.CancellationToken);
        var stale = await Eventually.WaitAsync(
            () => federation.ExecutionAsync("SE", "DE/corpus-train", 1),
            // Stopped either way: given back when its own lease check ran first, cancelled when DE's fence arrived first.
            e => e?["fenced"]?.GetValue<bool>() == true && e["state"]!.GetValue<string>() is "cancelled" or "requeued",
            TimeSpan.FromSeconds(90),
            $"SE's execution of epoch 1 fenced and stopped after SE restarted{federation.Diagnostics()}",
            TimeSpan.FromMilliseconds(500));
        Log($"SE's stale run: {stale!["stateReason"]}");
        var after = await federation.JobAsync("DE", "corpus-train");
        Assert.Equal("succeeded", after["state"]!.GetValue<string>());
        Assert.Equal(2, after["epoch"]!.GetValue<int>());
        Assert.Equal(lastEvent, after["lastEvent"]!.GetValue<long>());
    }

    [Fact]
    public async Task ExecutingNationKilled_JobOnItsHomeOnlyData_StaysPendingWithTheReasons()
    {
        await using var federation = await JobFederation.StartAsync(s_a100Everywhere);
        await federation.RegisterDatasetAsync("FR/cancer-registry", 1_000_000, "homeOnly", new JsonObject { ["permission"] = "HMB" });
        await federation.SubmitAsync("DE", JobFederation.Job("registry-scan", "FR/cancer-registry", estimatedHours: 10));
        await federation.WaitJobAsync("DE", "registry-scan", j => j["state"]!.GetValue<string>() == "running", TimeSpan.FromSeconds(60), "the job running in FR");

        await federation.Launcher.KillNationAsync("FR");
        var pending = await federation.WaitJobAsync("DE", "registry-scan",
            j => j["state"]!.GetValue<string>() == "planned" && j["nation"] is null && j["stateReason"]!.GetValue<string>().StartsWith("pending", StringComparison.Ordinal),
            TimeSpan.FromSeconds(90), "the job pending once FR's lease ran out, since its data may be processed only in FR");
        var reason = pending["stateReason"]!.GetValue<string>();
        Log($"pending: {reason}");
        Assert.Contains("FR", reason, StringComparison.Ordinal);
        var events = await Eventually.WaitAsync(
            async () => (await federation.Client("DE").GetFromJsonAsync<JsonObject>("api/v1/jobs/registry-scan", TestContext.Current.CancellationToken))!,
            j => j["lastEvent"]!.GetValue<long>() >= pending["lastEvent"]!.GetValue<long>(),
            TimeSpan.FromSeconds(5), "the job record");
        Assert.Equal(1, events["epoch"]!.GetValue<int>());
        foreach (var nation in new[] { "DE", "SE" })
        {
            Assert.Null(await federation.ExecutionAsync(nation, "DE/registry-scan", 2));
        }
    }

    [Fact]
    public async Task OneOfTwoSilosOfTheExecutingNationKilled_JobCompletes()
    {
        await using var federation = await JobFederation.StartAsync(
            s_a100Everywhere,
            new Dictionary<string, IReadOnlyList<string>> { ["*"] = ["--Federation:Jobs:LeaseSeconds=20", "--Federation:Jobs:GraceSeconds=10"] });
        await federation.RegisterDatasetAsync("FR/cancer-registry", 1_000_000, "homeOnly", new JsonObject { ["permission"] = "HMB" });
        var first = federation.Nation("FR");
        var second = await federation.AddSiloAsync("FR");
        await Eventually.WaitAsync(
            async () => (await federation.Client("FR").GetFromJsonAsync<JsonObject>("dashboard/DashboardCounters", TestContext.Current.CancellationToken))?["totalActiveHostCount"]?.GetValue<int>() ?? 0,
            n => n == 2, TimeSpan.FromSeconds(60), $"FR's two silos in one cluster{federation.Diagnostics()}");

        await federation.SubmitAsync("DE", JobFederation.Job("registry-scan", "FR/cancer-registry", estimatedHours: 4));
        await federation.WaitJobAsync("DE", "registry-scan", j => j["state"]!.GetValue<string>() == "running", TimeSpan.FromSeconds(60), "the job running in FR");

        // Kill the silo that holds the execution; if it is the one behind FR's federation endpoint,
        // point the roster at the survivor, as a load balancer in front of both would.
        var hosts = new[] { first, second }.Where(s => JobFederation.ReadShared(s.Log).Any(l => l.Contains("Admitted job DE/registry-scan epoch 1", StringComparison.Ordinal))).ToList();
        var victim = Assert.Single(hosts);
        var survivor = victim.Pid == first.Pid ? second : first;
        if (victim.Pid == first.Pid)
        {
            await federation.MoveFederationEndpointAsync("FR", survivor);
        }

        var clock = Stopwatch.StartNew();
        Assert.True(LocalFederation.Kill(victim.Pid));
        Log($"killed FR's silo {(victim.Pid == first.Pid ? "1 (behind the roster endpoint)" : "2")} holding the execution");
        var done = await federation.WaitJobAsync("DE", "registry-scan", j => j["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled",
            TimeSpan.FromSeconds(120), "the job finished after one of FR's silos died");
        Log($"finished {JobFederation.Elapsed(clock)} after the kill: {done["state"]} at epoch {done["epoch"]}");
        Assert.Equal("succeeded", done["state"]!.GetValue<string>());
        Assert.Equal("FR", done["nation"]!.GetValue<string>());
        var events = await federation.WatchAsync("DE", "registry-scan", TimeSpan.FromSeconds(30));
        Log(Describe(events));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e["sequence"]!.GetValue<long>()));
        Assert.Single(events, e => e["state"]!.GetValue<string>() == "succeeded");

        // The survivor saw the killed silo declared dead and had FR's lease sweeper wake every live
        // entry: an activation lost with a silo comes back within a sweep, not at its recheck.
        var woke = await Eventually.WaitAsync(
            () => Task.FromResult(JobFederation.ReadShared(survivor.Log)
                .SkipWhile(l => !l.Contains("declared dead; the sweeper wakes every live", StringComparison.Ordinal))
                .FirstOrDefault(l => l.Contains("Lease index: woke all", StringComparison.Ordinal))),
            line => line is not null, TimeSpan.FromSeconds(90), $"FR's surviving silo seeing the killed one dead, then its sweeper waking every live entry{federation.Diagnostics()}", TimeSpan.FromMilliseconds(500));
        Log($"{JobFederation.Elapsed(clock)} after the kill: {woke}");
    }

    [Fact]
    public async Task LinkCutAndRestored_OutboxDeliversEverything_NoSecondRun()
    {
        await using var federation = await JobFederation.StartAsync(
            s_a100Everywhere,
            new Dictionary<string, IReadOnlyList<string>> { ["*"] = ["--Federation:Jobs:LeaseSeconds=30", "--Federation:Jobs:GraceSeconds=10", "--Federation:Jobs:MarginSeconds=5"] });
        await federation.RegisterDatasetAsync("FR/cancer-registry", 1_000_000, "homeOnly", new JsonObject { ["permission"] = "HMB" });
        await federation.SubmitAsync("DE", JobFederation.Job("registry-scan", "FR/cancer-registry", estimatedHours: 3));
        await federation.WaitJobAsync("DE", "registry-scan", j => j["state"]!.GetValue<string>() == "running", TimeSpan.FromSeconds(60), "the job running in FR");

        // Cut: FR's pin leaves the roster, so DE refuses FR's calls and FR cannot reach DE.
        var original = await File.ReadAllTextAsync(federation.State.Roster, TestContext.Current.CancellationToken);
        var roster = RosterDocument.Parse(original);
        using var stranger = NationCertificates.Create("FR");
        var cut = new RosterDocument([.. roster.Nations.Select(n => n.Code == "FR" ? n with { Pins = [SpkiPin.Compute(stranger)] } : n)]);
        await File.WriteAllTextAsync(federation.State.Roster, cut.ToJson(), TestContext.Current.CancellationToken);
        var frLog = federation.Nation("FR").Log;
        await Eventually.WaitAsync(
            () => Task.FromResult(JobFederation.ReadShared(frLog).Count(l => l.Contains("to the origin not delivered", StringComparison.Ordinal))),
            n => n >= 2, TimeSpan.FromSeconds(30), $"FR's reports to DE failing while the link is cut{federation.Diagnostics()}");
        var duringCut = (await federation.JobAsync("DE", "registry-scan"))["lastEvent"]!.GetValue<long>();

        await File.WriteAllTextAsync(federation.State.Roster, original, TestContext.Current.CancellationToken);
        var clock = Stopwatch.StartNew();
        var done = await federation.WaitJobAsync("DE", "registry-scan", j => j["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled" or "requeued",
            TimeSpan.FromSeconds(90), "the job finished once the link was back");
        Log($"link restored; job {done["state"]} {JobFederation.Elapsed(clock)} later at epoch {done["epoch"]}, events {duringCut} during the cut, {done["lastEvent"]} in all");
        Assert.Equal("succeeded", done["state"]!.GetValue<string>());
        Assert.Equal(1, done["epoch"]!.GetValue<int>());
        Assert.True(done["lastEvent"]!.GetValue<long>() > duringCut);

        // One run only: epoch 1 in FR, no second epoch anywhere.
        Assert.Equal("succeeded", (await federation.ExecutionAsync("FR", "DE/registry-scan", 1))!["state"]!.GetValue<string>());
        foreach (var nation in new[] { "FR", "DE", "SE" })
        {
            Assert.Null(await federation.ExecutionAsync(nation, "DE/registry-scan", 2));
        }

        var events = await federation.WatchAsync("DE", "registry-scan", TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e["sequence"]!.GetValue<long>()));
        Assert.Single(events, e => e["state"]!.GetValue<string>() == "succeeded");
    }
}
