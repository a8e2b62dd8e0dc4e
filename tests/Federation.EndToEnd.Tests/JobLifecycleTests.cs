using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Jobs across borders on real processes, PostgreSQL and mutual TLS: submitted in one nation,
/// admitted and run in another, every state change seen at the origin.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(JobScenarios.Name)]
public sealed class JobLifecycleTests
{
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task HomeOnlyData_SubmittedInDE_RunsInFR_DEWatchesEveryState_ExplainNamesTheResidencyRule_OneTraceAcrossBoth()
    {
        // DE and FR write their spans to files: the job's path is read back from both as one trace.
        var spans = Directory.CreateTempSubdirectory("spans-").FullName;
        await using var federation = await JobFederation.StartAsync(
            new Dictionary<string, (string, string, int)[]>
            {
                ["FR"] = [("fr-a100", "a100-80gb-sxm", 4)],
                ["DE"] = [("de-a100", "a100-80gb-sxm", 4)],
                ["SE"] = [("se-a100", "a100-80gb-sxm", 4)],
            },
            new Dictionary<string, IReadOnlyList<string>>
            {
                ["FR"] = [$"--Federation:Telemetry:SpanFile={Path.Combine(spans, "fr.jsonl")}"],
                ["DE"] = [$"--Federation:Telemetry:SpanFile={Path.Combine(spans, "de.jsonl")}"],
            });
        await federation.RegisterDatasetAsync("FR/cancer-registry", 2_000_000_000, "homeOnly", new JsonObject { ["permission"] = "HMB" });
        var clock = Stopwatch.StartNew();

        var submitted = await federation.SubmitAsync("DE", JobFederation.Job("tumour-seg", "FR/cancer-registry", estimatedHours: 1));
        Assert.Equal("DE/tumour-seg", submitted["ref"]!.GetValue<string>());
        var events = await federation.WatchAsync("DE", "tumour-seg", s_runTimeout);
        TestContext.Current.TestOutputHelper?.WriteLine($"finished after {JobFederation.Elapsed(clock)}: {string.Join(" | ", events.Select(e => $"{e["state"]} {e["nation"]} {e["message"]}"))}");

        var states = events.Select(e => e["state"]!.GetValue<string>()).Distinct().ToList();
        Assert.Equal(["submitted", "offered", "admitted", "running", "succeeded"], states);
        Assert.All(events.Where(e => e["state"]!.GetValue<string>() is not "submitted"), e => Assert.Equal("FR", e["nation"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e["sequence"]!.GetValue<long>()));

        var job = await federation.JobAsync("DE", "tumour-seg");
        Assert.Equal("succeeded", job["state"]!.GetValue<string>());
        Assert.Equal(1, job["epoch"]!.GetValue<int>());
        var result = job["result"]!;
        Assert.Equal(0, result["exitCode"]!.GetValue<int>());
        Assert.Equal("tdp-estimate", result["energyMethod"]!.GetValue<string>());
        Assert.True(result["energyKwh"]!.GetValue<double>() > 0 && result["emissionsGco2e"]!.GetValue<double>() > 0, result.ToJsonString());

        var explain = (await federation.Client("DE").GetFromJsonAsync<JsonObject>("api/v1/jobs/tumour-seg/decision", TestContext.Current.CancellationToken))!;
        var candidates = explain["decision"]!["candidates"]!.AsArray().OfType<JsonObject>().ToDictionary(c => c["nation"]!.GetValue<string>());
        Assert.Equal("FR", explain["decision"]!["chosen"]!.GetValue<string>());
        foreach (var other in new[] { "DE", "SE" })
        {
            var exclusion = candidates[other]["exclusions"]![0]!;
            Assert.Equal("residency", exclusion["rule"]!.GetValue<string>());
            Assert.Equal($"dataset FR/cancer-registry may be processed only in FR, not in {other}", exclusion["reason"]!.GetValue<string>());
        }

        var execution = await federation.ExecutionAsync("FR", "DE/tumour-seg", 1);
        Assert.Equal("succeeded", execution!["state"]!.GetValue<string>());
        Assert.False(execution["fenced"]!.GetValue<bool>());
        await SpanFiles.AssertOneTraceAsync(spans, "DE/tumour-seg");

        // A cancel at the origin reaches the executing nation, which stops the run and frees its accelerators.
        await federation.SubmitAsync("DE", JobFederation.Job("long-scan", "FR/cancer-registry", estimatedHours: 20));
        await federation.WaitJobAsync("DE", "long-scan", j => j["state"]!.GetValue<string>() == "running", s_runTimeout, "the long job running in FR");
        using var cancel = await federation.Client("DE").PostAsJsonAsync("api/v1/jobs/long-scan:cancel", new JsonObject { ["reason"] = "wrong inputs" }, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, cancel.StatusCode);
        var stopped = await Federation.Testing.Eventually.WaitAsync(
            () => federation.ExecutionAsync("FR", "DE/long-scan", 1),
            e => e?["state"]?.GetValue<string>() == "cancelled",
            TimeSpan.FromSeconds(30), $"FR's run of DE/long-scan cancelled{federation.Diagnostics()}", TimeSpan.FromMilliseconds(250));
        Assert.Contains("wrong inputs", stopped!["stateReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(stopped["allocations"]!.AsObject());
        Assert.Equal("cancelled", (await federation.JobAsync("DE", "long-scan"))["state"]!.GetValue<string>());
    }

    /// <summary>
    /// Also a federation of mixed versions (docs/operations.md, "Rolling upgrades"): DE speaks federation
    /// protocol 1 only (<c>Federation:Protocol:MaxVersion=1</c>, as a nation one version behind), FR and SE
    /// the newest. DE's jobs run abroad and FR's run in DE: FR writes its offers to DE without the members
    /// version 2 added (the vouched identity, which DE's strict reader would refuse as unknown).
    /// </summary>
    [Fact]
    public async Task BestNationRefusesByItsAdmissionRule_JobRunsInTheNextRanked_WithDEOneProtocolVersionBehind()
    {
        // Movable data; SE has the cleanest grid and ranks first, but refuses DE's jobs by configuration.
        await using var federation = await JobFederation.StartAsync(
            new Dictionary<string, (string, string, int)[]>
            {
                ["FR"] = [("fr-a100", "a100-80gb-sxm", 4)],
                ["DE"] = [("de-a100", "a100-80gb-sxm", 4)],
                ["SE"] = [("se-a100", "a100-80gb-sxm", 4)],
            },
            new Dictionary<string, IReadOnlyList<string>>
            {
                ["SE"] = ["--Federation:Admission:RefuseFrom:0=DE"],
                ["DE"] = ["--Federation:Protocol:MaxVersion=1"],
            });
        Assert.Equal([1], (await federation.PeerAsync("FR", "DE"))!["lastAdvert"]!["protocolVersions"]!.AsArray().Select(v => v!.GetValue<int>()));
        Assert.Equal([1, 2], (await federation.PeerAsync("DE", "FR"))!["lastAdvert"]!["protocolVersions"]!.AsArray().Select(v => v!.GetValue<int>()));
        await federation.RegisterDatasetAsync("DE/open-corpus", 1_000_000, "anywhere", new JsonObject { ["permission"] = "GRU" });

        await federation.SubmitAsync("DE", JobFederation.Job("corpus-eval", "DE/open-corpus", use: "GRU", estimatedHours: 0.5));
        var events = await federation.WatchAsync("DE", "corpus-eval", s_runTimeout);

        var job = await federation.JobAsync("DE", "corpus-eval");
        Assert.Equal("succeeded", job["state"]!.GetValue<string>());
        var ranked = job["decision"]!["candidates"]!.AsArray().OfType<JsonObject>().Where(c => c["rank"] is not null).Select(c => c["nation"]!.GetValue<string>()).ToList();
        Assert.Equal("SE", ranked[0]);
        Assert.Equal(ranked[1], job["nation"]!.GetValue<string>());
        var refusal = job["admissions"]!.AsArray().OfType<JsonObject>().First();
        Assert.Equal("SE", refusal["nation"]!.GetValue<string>());
        Assert.False(refusal["admitted"]!.GetValue<bool>());
        Assert.Contains("does not admit jobs from DE", refusal["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(events, e => e["message"]!.GetValue<string>().StartsWith("refused by SE:", StringComparison.Ordinal));

        // The other way: FR (newest) offers DE (version 1) a job on DE's home-only data; DE admits, runs and reports it.
        await federation.RegisterDatasetAsync("DE/clinic-notes", 1_000_000, "homeOnly", new JsonObject { ["permission"] = "HMB" });
        await federation.SubmitAsync("FR", JobFederation.Job("notes-scan", "DE/clinic-notes", estimatedHours: 0.5));
        var abroad = await federation.WatchAsync("FR", "notes-scan", s_runTimeout);
        var ran = await federation.JobAsync("FR", "notes-scan");
        Assert.True(ran["state"]!.GetValue<string>() == "succeeded", $"FR's job in DE: {string.Join(" | ", abroad.Select(e => $"{e["state"]} {e["nation"]} {e["message"]}"))}{federation.Diagnostics()}");
        Assert.Equal("DE", ran["nation"]!.GetValue<string>());
        Assert.Equal("succeeded", (await federation.ExecutionAsync("DE", "FR/notes-scan", 1))!["state"]!.GetValue<string>());
    }
}
