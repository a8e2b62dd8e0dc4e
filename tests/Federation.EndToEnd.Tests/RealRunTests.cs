using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Execution.Slurm;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Real execution across borders: jobs submitted in DE run in FR through FR's Slurm cluster
/// (real slurmctld and slurmd) or its process executor, as an unprivileged account, with
/// inputs linked or staged, logs and outputs kept where the data's terms say, and energy
/// and emissions reported back.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(JobScenarios.Name)]
public sealed class RealRunTests(SharedRealRuns shared) : IClassFixture<SharedRealRuns>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task SlurmPool_JobFromDE_RunsInFRsSlurm_ReportsExitCodeAndEnergy_AJobNeedingMoreGpusThanFreeWaitsInSlurm()
    {
        var runs = shared.Runs;
        var federation = runs.Federation;

        // 3 of FR's 4 H100s for a while, then 2 more: the second waits in Slurm for resources.
        await federation.SubmitAsync("DE", RealRuns.Job(runs.Id("big"), "FR/cohort", "h100-sxm", 3, seconds: 8));
        var running = await federation.WaitJobAsync("DE", runs.Id("big"), j => j["state"]!.GetValue<string>() == "running", s_timeout, $"DE/{runs.Id("big")} running in FR's Slurm");
        Assert.Equal("FR", running["nation"]!.GetValue<string>());
        await federation.SubmitAsync("DE", RealRuns.Job(runs.Id("second"), "FR/cohort", "h100-sxm", 2, seconds: 1, exitCode: 3));
        var waiting = await Eventually.WaitAsync(
            () => federation.ExecutionAsync("FR", $"DE/{runs.Id("second")}", 1),
            e => e?["state"]?.GetValue<string>() == "queued" && e["stateReason"]!.GetValue<string>().Contains("Resources", StringComparison.Ordinal),
            s_timeout, $"DE/{runs.Id("second")} pending in Slurm for Resources while DE/{runs.Id("big")} holds 3 of 4 H100s{federation.Diagnostics()}", TimeSpan.FromMilliseconds(250));
        Assert.Equal("slurm", waiting!["run"]!["executor"]!.GetValue<string>());
        Assert.Equal("running", (await federation.JobAsync("DE", runs.Id("big")))["state"]!.GetValue<string>());

        var big = await federation.WaitJobAsync("DE", runs.Id("big"), j => j["state"]!.GetValue<string>() == "succeeded", s_timeout, $"DE/{runs.Id("big")} succeeded");
        var result = big["result"]!;
        Assert.Equal(0, result["exitCode"]!.GetValue<int>());
        Assert.Equal("slurm", result["executor"]!.GetValue<string>());
        Assert.Equal("tdp-estimate", result["energyMethod"]!.GetValue<string>());
        // 3 x 700 W (H100 SXM) x run time x FR's PUE; emissions = kWh x FR's grid intensity.
        var seconds = result["runSeconds"]!.GetValue<double>();
        Assert.InRange(seconds, 7, 60);
        Assert.Equal(2100, result["powerWatts"]!.GetValue<double>(), 3);
        var kwh = result["energyKwh"]!.GetValue<double>();
        Assert.True(kwh >= seconds / 3600 * 2.1 && kwh <= seconds / 3600 * 2.1 * 2, result.ToJsonString());
        Assert.True(result["emissionsGco2e"]!.GetValue<double>() > 0, result.ToJsonString());

        var second = await federation.WaitJobAsync("DE", runs.Id("second"), j => j["state"]!.GetValue<string>() == "failed", s_timeout, $"DE/{runs.Id("second")} ran after DE/big and failed with exit code 3");
        Assert.Equal(3, second["result"]!["exitCode"]!.GetValue<int>());
        Assert.Equal(1, second["epoch"]!.GetValue<int>());

        var slurmJobs = await runs.SlurmJobsAsync($"DE-{runs.Id("big")}-e1");
        Assert.Single(slurmJobs);
        Assert.Equal(SlurmJobState.Completed, slurmJobs[0].State);
    }

    [Fact]
    public async Task SlurmJob_SurvivesAKilledFRSilo_ReconciledByName_CompletesOnce_AndACancelScancelsIt()
    {
        // Leases long enough for FR to come back before DE would give the epoch up.
        await using var runs = await RealRuns.StartAsync(["--Federation:Jobs:LeaseSeconds=60", "--Federation:Jobs:GraceSeconds=20"]);
        var federation = runs.Federation;
        await runs.RegisterFileDatasetAsync("FR/cohort", "homeOnly", 4096);
        var marker = Path.Combine(runs.Directory, "slurm-runs.log");

        await federation.SubmitAsync("DE", RealRuns.Job(runs.Id("resilient"), "FR/cohort", "h100-sxm", 2, seconds: 12, marker: marker));
        await federation.WaitJobAsync("DE", runs.Id("resilient"), j => j["state"]!.GetValue<string>() == "running", s_timeout, $"DE/{runs.Id("resilient")} running in FR's Slurm");
        Assert.Equal(SlurmJobState.Running, Assert.Single(await runs.SlurmJobsAsync($"DE-{runs.Id("resilient")}-e1")).State);

        await federation.Launcher.KillNationAsync("FR");
        await federation.Launcher.StartNationAsync("FR", TestContext.Current.CancellationToken);

        var done = await federation.WaitJobAsync("DE", runs.Id("resilient"), j => j["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled", s_timeout, $"DE/{runs.Id("resilient")} finished after FR's restart");
        Assert.Equal("succeeded", done["state"]!.GetValue<string>());
        Assert.Equal(1, done["epoch"]!.GetValue<int>());
        Assert.Single(await runs.SlurmJobsAsync($"DE-{runs.Id("resilient")}-e1"));
        Assert.Empty(await runs.SlurmJobsAsync($"DE-{runs.Id("resilient")}-e2"));
        Assert.Single(File.ReadAllLines(marker));
        var frLog = string.Join('\n', JobFederation.ReadShared(federation.Nation("FR").Log));
        Assert.Contains("Reconciled", frLog, StringComparison.Ordinal);

        // A cancel at the origin reaches FR, which scancels the Slurm job.
        await federation.SubmitAsync("DE", RealRuns.Job(runs.Id("doomed"), "FR/cohort", "h100-sxm", 1, seconds: 300));
        await federation.WaitJobAsync("DE", runs.Id("doomed"), j => j["state"]!.GetValue<string>() == "running", s_timeout, $"DE/{runs.Id("doomed")} running in FR's Slurm");
        using var cancel = await federation.Client("DE").PostAsJsonAsync($"api/v1/jobs/{runs.Id("doomed")}:cancel", new JsonObject { ["reason"] = "superseded" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = await Eventually.WaitAsync(
            () => runs.SlurmJobsAsync($"DE-{runs.Id("doomed")}-e1"),
            jobs => jobs.Count == 1 && jobs[0].State == SlurmJobState.Cancelled,
            TimeSpan.FromSeconds(60), $"Slurm job DE-doomed-e1 cancelled by FR after DE's cancel{federation.Diagnostics()}", TimeSpan.FromMilliseconds(250));
        Assert.Single(cancelled);
    }

    [Fact]
    public async Task FencingAnEpoch_ScancelsItsSlurmJob_AndTheNextEpochRuns()
    {
        // Default leases (8 s + 4 s grace): FR stays down long enough for DE to give epoch 1 up.
        await using var runs = await RealRuns.StartAsync();
        var federation = runs.Federation;
        await runs.RegisterFileDatasetAsync("FR/cohort", "homeOnly", 4096);

        await federation.SubmitAsync("DE", RealRuns.Job(runs.Id("fenced"), "FR/cohort", "h100-sxm", 1, seconds: 300));
        await federation.WaitJobAsync("DE", runs.Id("fenced"), j => j["state"]!.GetValue<string>() == "running", s_timeout, $"DE/{runs.Id("fenced")} running in FR's Slurm");
        await federation.Launcher.KillNationAsync("FR");
        await federation.WaitJobAsync("DE", runs.Id("fenced"), j => j["state"]!.GetValue<string>() == "planned" && j["nation"] is null, s_timeout, "DE to give epoch 1 up after lease + grace (pending: the data may be processed only in FR)");
        Assert.Equal(SlurmJobState.Running, Assert.Single(await runs.SlurmJobsAsync($"DE-{runs.Id("fenced")}-e1")).State);

        await federation.Launcher.StartNationAsync("FR", TestContext.Current.CancellationToken);
        await Eventually.WaitAsync(
            () => runs.SlurmJobsAsync($"DE-{runs.Id("fenced")}-e1"),
            jobs => jobs.Count == 1 && jobs[0].State == SlurmJobState.Cancelled,
            s_timeout, $"FR to scancel the Slurm job of the stale epoch 1{federation.Diagnostics()}", TimeSpan.FromMilliseconds(250));
        // The stale epoch's ending is written when its bill comes, which may be after Slurm shows the cancel.
        var stale = await Eventually.WaitAsync(
            () => federation.ExecutionAsync("FR", $"DE/{runs.Id("fenced")}", 1),
            e => e is not null && e["state"]!.GetValue<string>() != "running",
            s_timeout, $"FR to end the stale epoch 1 once its Slurm job was cancelled{federation.Diagnostics()}", TimeSpan.FromMilliseconds(250));
        Assert.NotEqual("running", stale!["state"]!.GetValue<string>());
        var next = await federation.WaitJobAsync("DE", runs.Id("fenced"), j => j["state"]!.GetValue<string>() == "running", s_timeout, "a later epoch of DE/fenced running in FR");
        var epoch = next["epoch"]!.GetValue<int>();
        Assert.True(epoch >= 2, next.ToJsonString());
        Assert.Equal(SlurmJobState.Running, Assert.Single(await runs.SlurmJobsAsync($"DE-{runs.Id("fenced")}-e{epoch}")).State);
    }

    [Fact]
    public async Task ProcessExecutor_JobSurvivesASiloRestart_WithoutRunningTwice()
    {
        // A lease long enough that FR's restart on a loaded CI machine (it once took over 80 s) cannot
        // expire it: this test is about the run surviving, not about fencing (the test above is).
        await using var runs = await RealRuns.StartAsync(["--Federation:Jobs:LeaseSeconds=180", "--Federation:Jobs:GraceSeconds=60"]);
        var federation = runs.Federation;
        await runs.RegisterFileDatasetAsync("FR/cohort", "homeOnly", 4096);
        var marker = Path.Combine(runs.Directory, "process-runs.log");

        // FR's node agent measures its four A100s drawing 1,000 W: two of them count for 500 W.
        using (var heartbeat = await federation.Client("FR").PostAsJsonAsync("api/v1/nodes/fr-a100/heartbeat", new JsonObject { ["powerDrawWatts"] = 1000.0 }, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        }

        await federation.SubmitAsync("DE", RealRuns.Job(runs.Id("steady"), "FR/cohort", "a100-80gb-sxm", 2, seconds: 10, marker: marker));
        var running = await Eventually.WaitAsync(
            () => federation.ExecutionAsync("FR", $"DE/{runs.Id("steady")}", 1),
            e => e?["state"]?.GetValue<string>() == "running" && File.Exists(marker),
            s_timeout, $"FR's process executor running DE/steady{federation.Diagnostics()}", TimeSpan.FromMilliseconds(250));
        Assert.Equal("process", running!["run"]!["executor"]!.GetValue<string>());

        await federation.Launcher.KillNationAsync("FR");
        await federation.Launcher.StartNationAsync("FR", TestContext.Current.CancellationToken);

        var done = await federation.WaitJobAsync("DE", runs.Id("steady"), j => j["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled", s_timeout, $"DE/{runs.Id("steady")} finished after FR's restart");
        Assert.Equal("succeeded", done["state"]!.GetValue<string>());
        Assert.Equal(1, done["epoch"]!.GetValue<int>());
        Assert.Equal("process", done["result"]!["executor"]!.GetValue<string>());
        Assert.Equal("measured", done["result"]!["energyMethod"]!.GetValue<string>());
        Assert.Equal(500, done["result"]!["powerWatts"]!.GetValue<double>(), 3);
        var line = Assert.Single(File.ReadAllLines(marker));
        Assert.Equal($"DE/{runs.Id("steady")} e1 uid=65534", line);
    }

    [Fact]
    public async Task LogsAndOutputs_OfAJobOnFROnlyData_StayInFR_OfAJobOnOpenData_ReachDE_AndOpenInputsAreStaged()
    {
        var runs = shared.Runs;
        var federation = runs.Federation;
        var ct = TestContext.Current.CancellationToken;

        await federation.SubmitAsync("DE", RealRuns.Job(runs.Id("private"), "FR/cohort", "a100-80gb-sxm", 1, seconds: 0));
        await federation.SubmitAsync("DE", RealRuns.Job(runs.Id("open"), "DE/weather", "a100-80gb-sxm", 1, seconds: 0));
        foreach (var id in new[] { runs.Id("private"), runs.Id("open") })
        {
            var job = await federation.WaitJobAsync("DE", id, j => j["state"]!.GetValue<string>() is "succeeded" or "failed", s_timeout, $"DE/{id} finished");
            Assert.True(job["state"]!.GetValue<string>() == "succeeded", $"DE/{id}: {job.ToJsonString()}{federation.Diagnostics()}");
            Assert.Equal("FR", job["nation"]!.GetValue<string>());
        }

        // FR-only data: the origin gets state, exit code and energy, never the logs or outputs.
        using (var logs = await federation.Client("DE").GetAsync($"api/v1/jobs/{runs.Id("private")}/logs/stdout", ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, logs.StatusCode);
            Assert.Contains("FR/cohort", await logs.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        using (var outputs = await federation.Client("DE").GetAsync($"api/v1/jobs/{runs.Id("private")}/outputs", ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, outputs.StatusCode);
        }

        // FR's operators read them at home.
        var frLogs = await federation.Client("FR").GetStringAsync($"api/v1/executions/DE/{runs.Id("private")}/1/logs/stdout", ct);
        Assert.Contains($"training DE/{runs.Id("private")} on 1 x a100-80gb-sxm as uid 65534", frLogs, StringComparison.Ordinal);
        Assert.Contains("input FR-cohort 4096 bytes", frLogs, StringComparison.Ordinal);

        // Open data: staged from DE into FR (checksum-verified, bytes counted), logs and outputs reach DE.
        var open = await federation.JobAsync("DE", runs.Id("open"));
        Assert.Equal(200_000, open["result"]!["stagedBytes"]!.GetValue<long>());
        Assert.True(open["result"]!["transferKwh"]!.GetValue<double>() > 0, open["result"]!.ToJsonString());
        var openLogs = await federation.Client("DE").GetStringAsync($"api/v1/jobs/{runs.Id("open")}/logs/stdout", ct);
        Assert.Contains("input DE-weather 200000 bytes", openLogs, StringComparison.Ordinal);
        var listed = await federation.Client("DE").GetFromJsonAsync<JsonNode>($"api/v1/jobs/{runs.Id("open")}/outputs", ct);
        Assert.Contains("model.bin", listed!.ToJsonString(), StringComparison.Ordinal);
        var model = await federation.Client("DE").GetStringAsync($"api/v1/jobs/{runs.Id("open")}/outputs/model.bin", ct);
        Assert.Equal($"weights of DE/{runs.Id("open")}\n", model);
    }

    [Fact]
    public async Task AWorkloadWhoseFileChanged_IsRefused_AndBadArgumentsAreRejectedAtSubmit()
    {
        var runs = shared.Runs;
        var federation = runs.Federation;
        var ct = TestContext.Current.CancellationToken;

        // Arguments that break the parameters' schema: 400 naming each argument, nothing stored.
        var bad = RealRuns.Job(runs.Id("bad-args"), "FR/cohort", "a100-80gb-sxm", 1, seconds: 1);
        bad["workload"]!["arguments"]!["seconds"] = "soon";
        bad["workload"]!["arguments"]!["shell"] = "rm -rf /";
        using (var response = await federation.Client("DE").PostAsJsonAsync("api/v1/jobs", bad, ct))
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("workload.arguments.seconds", body, StringComparison.Ordinal);
            Assert.Contains("workload.arguments.shell", body, StringComparison.Ordinal);
        }

        using (var missing = await federation.Client("DE").GetAsync($"api/v1/jobs/{runs.Id("bad-args")}", ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        // Someone changes the allow-listed file: FR refuses (and logs) rather than run it. The job is
        // cancelled and the file put back afterwards: the federation is shared with this class's other tests.
        var workload = Path.Combine(runs.Directory, "train.sh");
        await File.AppendAllTextAsync(workload, "# changed\n", ct);
        try
        {
            await federation.SubmitAsync("DE", RealRuns.Job(runs.Id("tampered"), "FR/cohort", "a100-80gb-sxm", 1, seconds: 1));
            var job = await federation.WaitJobAsync("DE", runs.Id("tampered"),
                j => j["admissions"]?.AsArray().Any(a => a!["admitted"]!.GetValue<bool>() == false) == true,
                s_timeout, "FR to refuse DE/tampered");
            var refusal = job["admissions"]!.AsArray().First(a => !a!["admitted"]!.GetValue<bool>())!["reason"]!.GetValue<string>();
            Assert.Contains("sha256", refusal, StringComparison.Ordinal);
            Assert.Contains("not the", refusal, StringComparison.Ordinal);
            Assert.Null(await federation.ExecutionAsync("FR", $"DE/{runs.Id("tampered")}", 1) is { } e && e["run"] is not null ? e : null);
            Assert.Contains("AUDIT", string.Join('\n', JobFederation.ReadShared(federation.Nation("FR").Log)), StringComparison.Ordinal);
        }
        finally
        {
            using (await federation.Client("DE").PostAsync($"api/v1/jobs/{runs.Id("tampered")}:cancel", null, CancellationToken.None))
            {
            }

            await File.WriteAllTextAsync(workload, RealRuns.WorkloadScript, CancellationToken.None);
        }
    }
}
