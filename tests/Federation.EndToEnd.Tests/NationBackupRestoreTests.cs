using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Protocol;
using Federation.Protocol.Wire;
using Federation.Testing;
using Npgsql;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Issue 19 item 7 as the runbook says it (docs/operations.md, "Backup and restore"), with the
/// runbook's own scripts: FR on PostgreSQL runs a job of DE and drains; FR is stopped, backed up
/// (infra/ops/backup.sh: pg_dump custom format and its key and job files), its database dropped and
/// its files deleted, then restored into a fresh database (infra/ops/restore.sh) and started. FR
/// is still draining and refuses a new offer by rule <c>draining</c>; the job goes on under the same
/// epoch and lease (DE hears from it again), succeeds once, and no other epoch runs anywhere.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(JobScenarios.Name)]
public sealed class NationBackupRestoreTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DrainingNation_BackedUpDroppedAndRestored_StillDraining_JobResumesUnderItsLease_RunsOnce()
    {
        var clock = Stopwatch.StartNew();

        // Leases long enough that DE does not give epoch 1 up while FR is down (a loaded CI machine
        // once took over 80 s to restart a nation): this test is about resuming, not fencing.
        await using var federation = await JobFederation.StartAsync(
            new Dictionary<string, (string, string, int)[]> { ["FR"] = [("fr-a100", "a100-80gb-sxm", 4)] },
            new Dictionary<string, IReadOnlyList<string>> { ["*"] = ["--Federation:Jobs:LeaseSeconds=180", "--Federation:Jobs:GraceSeconds=60"] },
            ["FR", "DE"]);
        await federation.RegisterDatasetAsync("FR/cancer-registry", 2_000_000_000, "homeOnly", new JsonObject { ["permission"] = "HMB" });
        await federation.SubmitAsync("DE", JobFederation.Job("kept", "FR/cancer-registry", estimatedHours: 3));
        await federation.WaitJobAsync("DE", "kept", j => j["state"]!.GetValue<string>() == "running", s_timeout, "DE/kept running in FR");

        using (var drained = await federation.Client("FR").PostAsJsonAsync("api/v1/nation:drain", new JsonObject { ["reason"] = "FR maintenance" }, Ct))
        {
            Assert.True(drained.StatusCode == HttpStatusCode.OK, await drained.Content.ReadAsStringAsync(Ct));
        }

        var drainBefore = await DrainAsync(federation);
        TestContext.Current.TestOutputHelper?.WriteLine($"launched, job running, FR draining: {JobFederation.Elapsed(clock)}");

        // The runbook: stop every silo of the nation, back up, lose everything, restore, start.
        var fr = federation.Nation("FR");
        var files = NationFiles(fr);
        var backup = Path.Combine(Path.GetDirectoryName(fr.Log)!, "..", "fr-backup");
        await federation.Launcher.StopNationAsync("FR");
        var before = await federation.JobAsync("DE", "kept");
        var (exit, output) = await ScriptAsync("backup.sh", ["--database", federation.DatabaseName("FR"), "--out", backup, .. files.SelectMany(f => new[] { "--file", f })]);
        Assert.True(exit == 0, $"backup.sh: exit {exit}: {output}");
        Assert.Contains("backup: ", output, StringComparison.Ordinal);

        await PostgresTestDatabase.DropAsync(federation.DatabaseName("FR"));
        foreach (var path in files)
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }

        (exit, output) = await ScriptAsync("restore.sh", ["--in", backup, "--database", federation.DatabaseName("FR")]);
        Assert.True(exit == 0, $"restore.sh: exit {exit}: {output}");
        Assert.Contains($"restore: {federation.DatabaseName("FR")} from {backup}", output, StringComparison.Ordinal);
        Assert.All(files, path => Assert.True(File.Exists(path) || Directory.Exists(path), $"{path} restored"));
        var restart = DateTimeOffset.UtcNow;
        await federation.Launcher.StartNationAsync("FR", Ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"stopped, backed up, dropped, restored, started: {JobFederation.Elapsed(clock)}");

        // Still draining, as it was: the same drain, and a new offer refused by the rule.
        var drainAfter = await DrainAsync(federation);
        Assert.True(drainAfter["draining"]!.GetValue<bool>(), drainAfter.ToJsonString());
        Assert.Equal("FR maintenance", drainAfter["reason"]!.GetValue<string>());
        Assert.Equal(drainBefore["since"]!.GetValue<DateTimeOffset>(), drainAfter["since"]!.GetValue<DateTimeOffset>());
        var refusal = await OfferAsync(federation, "DE/after-restore");
        Assert.False(refusal["admitted"]!.GetValue<bool>(), refusal.ToJsonString());
        Assert.StartsWith("FR is draining and admits no new jobs (FR maintenance)", refusal["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        var logged = await Eventually.WaitAsync(
            async () => (await federation.Client("FR").GetFromJsonAsync<JsonObject>("api/v1/audit/entries?kind=refusal&job=DE/after-restore", Ct))!["items"]!.AsArray(),
            items => items.Count > 0, TimeSpan.FromSeconds(10), "FR's refusal entry for DE/after-restore", TimeSpan.FromMilliseconds(200));
        Assert.Equal("draining", logged[0]!["rule"]!.GetValue<string>());

        // The job goes on: DE hears from FR's epoch 1 again, and it succeeds there once.
        await federation.WaitJobAsync("DE", "kept", j => j["lastEvent"]!.GetValue<long>() > before["lastEvent"]!.GetValue<long>() && j["epoch"]!.GetValue<int>() == 1,
            s_timeout, "DE to hear from FR's epoch 1 of DE/kept after the restore");
        var done = await federation.WaitJobAsync("DE", "kept", j => j["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled",
            s_timeout, "DE/kept to finish after FR's restore");
        Assert.True(done["state"]!.GetValue<string>() == "succeeded" && done["epoch"]!.GetValue<int>() == 1 && done["nation"]!.GetValue<string>() == "FR", done.ToJsonString());
        var admitted = done["admissions"]!.AsArray().Where(a => a!["admitted"]!.GetValue<bool>()).Select(a => (a!["nation"]!.GetValue<string>(), a["epoch"]!.GetValue<int>()));
        Assert.Equal([("FR", 1)], admitted);
        var execution = await federation.ExecutionAsync("FR", "DE/kept", 1);
        Assert.True(execution?["state"]?.GetValue<string>() == "succeeded" && execution["fenced"]!.GetValue<bool>() == false, execution?.ToJsonString());
        Assert.Null(await federation.ExecutionAsync("FR", "DE/kept", 2));
        Assert.Null(await federation.ExecutionAsync("DE", "DE/kept", 2));

        // Drained now: nothing running or leased is left, and the restored log still proves itself.
        var empty = await Eventually.WaitAsync(() => DrainAsync(federation), d => d["empty"]!.GetValue<bool>(), TimeSpan.FromSeconds(30),
            $"FR drained and empty after DE/kept{federation.Diagnostics()}", TimeSpan.FromMilliseconds(250));
        Assert.Equal(0, empty["leased"]!.GetValue<int>());
        using (var verified = await federation.Client("FR").PostAsync("api/v1/audit/verify", null, Ct))
        {
            var answer = await verified.Content.ReadAsStringAsync(Ct);
            Assert.True(verified.StatusCode == HttpStatusCode.OK && JsonNode.Parse(answer)!["sound"]?.GetValue<bool>() == true, answer);
        }

        // The drain and the undrain are FR's decisions in its log: the drain survived the restore with the log.
        using (var undrained = await federation.Client("FR").PostAsJsonAsync("api/v1/nation:drain", new JsonObject { ["draining"] = false }, Ct))
        {
            Assert.True(undrained.StatusCode == HttpStatusCode.OK, await undrained.Content.ReadAsStringAsync(Ct));
        }

        var membership = (await federation.Client("FR").GetFromJsonAsync<JsonObject>("api/v1/audit/entries?kind=membership", Ct))!["items"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.Equal(["drain", "undrain"], membership.Select(e => e["rule"]!.GetValue<string>()));
        Assert.All(membership, e => Assert.StartsWith("hmac-sha256:", e["subject"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal("FR maintenance", membership[0]["detail"]!["reason"]!.GetValue<string>());
        Assert.Equal("false", membership[0]["detail"]!["giveBack"]!.GetValue<string>());

        TestContext.Current.TestOutputHelper?.WriteLine($"job succeeded at epoch 1 {(DateTimeOffset.UtcNow - restart).TotalSeconds:0.0} s after the restart; whole test {JobFederation.Elapsed(clock)}");
    }

    private static async Task<JsonObject> DrainAsync(JobFederation federation) =>
        (await federation.Client("FR").GetFromJsonAsync<JsonObject>("api/v1/nation/drain", Ct))!;

    /// <summary>The files FR needs besides its database: its federation key, and its job and data directories when they exist.</summary>
    private static List<string> NationFiles(Federation.Fedctl.Local.LocalNationState nation)
    {
        string Setting(string key) => nation.Arguments.Single(a => a.StartsWith($"--{key}=", StringComparison.Ordinal))[(key.Length + 3)..];
        return [.. new[] { Setting("Federation:Peering:CertificatePath"), Setting("Federation:Executor:WorkRoot"), Setting("Federation:Data:Roots:0") }
            .Where(p => File.Exists(p) || Directory.Exists(p))];
    }

    /// <summary>Offers <paramref name="job"/> to FR over the federation API as DE (DE's own key, mutual TLS).</summary>
    private static async Task<JsonObject> OfferAsync(JobFederation federation, string job)
    {
        var de = federation.Nation("DE");
        var key = de.Arguments.Single(a => a.StartsWith("--Federation:Peering:CertificatePath=", StringComparison.Ordinal)).Split('=', 2)[1];
        using var certificate = NationCertificates.LoadPfx(key);
        using var client = TwoNations.StrangerClient(new Uri(new Uri(federation.Nation("FR").FederationUrl), "/"), certificate);
        var offer = new JsonObject { ["job"] = job, ["epoch"] = 1, ["leaseSeconds"] = 30, ["spec"] = JobFederation.Job(job.Split('/')[1], "FR/cancer-registry") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "federation/v1/jobs/offers") { Content = JsonContent.Create(offer) }.WithRequestId(Guid.NewGuid());
        using var response = await client.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"offer to FR: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Runs infra/ops/<paramref name="script"/> with the test server as the libpq environment; its exit code and output.</summary>
    private static async Task<(int Exit, string Output)> ScriptAsync(string script, IReadOnlyList<string> arguments)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Federation.sln")))
        {
            root = root.Parent;
        }

        var server = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ServerConnectionString);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(root!.FullName, "infra", "ops", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGHOST"] = server.Host;
        start.Environment["PGPORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = server.Username;
        start.Environment["PGPASSWORD"] = server.Password;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}
