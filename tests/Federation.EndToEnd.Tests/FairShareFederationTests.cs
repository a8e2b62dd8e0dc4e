using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// Issue 18's fairness must-show across launched nations (<see cref="FairShareNations"/>: FR executes, DE's jobs fit
/// only FR's accelerators; mutual TLS, usage reports every second): FR's and DE's users saturate FR with endless
/// backlogs and each nation's received share of FR's accelerator-time converges to its entitlement; DE's runs on
/// FR's idle accelerators are given back (<c>reclaimed:</c>) when FR's own demand arrives, and FR's job runs within
/// the reclaim grace; a student of a course registered through the API runs within FR's student quota while
/// consortia climate and health hold the rest.
/// </summary>
public sealed class FairShareFederationTests(FairShareNations fixture) : IClassFixture<FairShareNations>
{
    /// <summary>How far each nation's received share of FR's accelerator-time may end from its entitlement (points of 1).</summary>
    public const double Tolerance = 0.08;

    /// <summary>How long both nations keep their backlogs outstanding.</summary>
    private static readonly TimeSpan s_contention = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Finished(string Id, string State, double AcceleratorSeconds);

    private static JsonObject Job(string id, string user, int count, double hours, double walltimeMinutes, string? consortium = null, string? course = null)
    {
        var owner = new JsonObject { ["user"] = user };
        if (consortium is not null)
        {
            owner["consortium"] = consortium;
        }

        var job = new JsonObject
        {
            ["id"] = id,
            ["owner"] = owner,
            ["purpose"] = new JsonObject { ["use"] = "GRU" },
            ["accelerators"] = new JsonObject { ["count"] = count, ["models"] = new JsonArray(FairShareNations.Model) },
            ["work"] = new JsonObject { ["acceleratorHours"] = hours, ["referenceAccelerator"] = FairShareNations.Model },
            ["walltimeMinutes"] = walltimeMinutes,
            ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
        };
        if (course is not null)
        {
            job["tier"] = "student";
            job["course"] = course;
        }

        return job;
    }

    private static async Task SubmitAsync(HttpClient api, JsonObject job)
    {
        using var response = await api.PostAsJsonAsync("api/v1/jobs", job, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"submitting {job["id"]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private static async Task<JsonObject> JobAsync(HttpClient api, string id) => (await api.GetFromJsonAsync<JsonObject>($"api/v1/jobs/{id}", Ct))!;

    private static string State(JsonObject job) => job["state"]!.GetValue<string>();

    private static bool Ended(JsonObject job) => State(job) is "succeeded" or "failed" or "cancelled" or "timedOut" or "timed-out";

    private static Task<JsonObject> WaitJobAsync(HttpClient api, string id, Func<JsonObject, bool> accept, string expectation) =>
        Eventually.WaitAsync(() => JobAsync(api, id), accept, s_wait, $"{id}: {expectation}", TimeSpan.FromMilliseconds(100));

    private async Task<JsonObject> SharesAsync() => (await fixture.Fr.GetFromJsonAsync<JsonObject>("api/v1/shares", Ct))!;

    private static async Task CancelAsync(HttpClient api, IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            using var response = await api.PostAsync($"api/v1/jobs/{id}:cancel", null, Ct);
            Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict, $"cancelling {id}: {(int)response.StatusCode}");
        }
    }

    private Task<JsonObject> FrIdleAsync(string phase) =>
        Eventually.WaitAsync(SharesAsync, v => v["free"]!.GetValue<int>() == 5, s_wait, $"{phase}: all 5 of FR's H100s free again", TimeSpan.FromMilliseconds(200));

    /// <summary>
    /// One nation's users with an endless backlog: <paramref name="outstanding"/> jobs of one H100 for 0.02 estimated hours
    /// (2 s here, walltime 3 minutes) always submitted, a new one for each that ends, until <paramref name="until"/>; returns the jobs that ended and those still open.
    /// </summary>
    private static async Task<(List<Finished> Ended, List<string> Open)> BacklogAsync(HttpClient api, string prefix, string user, int outstanding, DateTimeOffset until)
    {
        var open = new List<string>();
        var ended = new List<Finished>();
        var next = 0;
        while (DateTimeOffset.UtcNow < until)
        {
            while (open.Count < outstanding)
            {
                var id = $"{prefix}-{next++}";
                await SubmitAsync(api, Job(id, user, 1, 0.02, 3));
                open.Add(id);
            }

            foreach (var id in open.ToList())
            {
                var job = await JobAsync(api, id);
                if (Ended(job))
                {
                    ended.Add(new(id, State(job), (job["result"]?["runSeconds"]?.GetValue<double>() ?? 0) * job["spec"]!["accelerators"]!["count"]!.GetValue<int>()));
                    open.Remove(id);
                }
            }

            await Task.Delay(200, Ct);
        }

        return (ended, open);
    }

    /// <summary>Reads <paramref name="id"/>'s event stream at <paramref name="api"/> from the start until an event's data contains <paramref name="text"/>.</summary>
    private static async Task<string> EventSayingAsync(HttpClient api, string id, string text)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(s_wait);
        using var response = await api.GetAsync($"api/v1/jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        try
        {
            while (await reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains(text, StringComparison.Ordinal))
                {
                    return line.Replace("\\u0027", "'", StringComparison.Ordinal);
                }
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
        }

        Assert.Fail($"{id}'s events did not say '{text}' within {s_wait.TotalSeconds} s");
        return "";
    }

    private static double Entitlement(JsonObject view, string nation) =>
        view["nations"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == nation)!["entitlement"]!.GetValue<double>();

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    [Fact]
    public async Task TwoNationsSaturateFr_SharesConvergeToEntitlements_BorrowedRunsGoBackToFrsDemand_StudentRunsWithinItsQuota()
    {
        var output = TestContext.Current.TestOutputHelper;
        var (fr, de) = (fixture.Fr, fixture.De);
        var view = await SharesAsync();
        var (frEntitled, deEntitled) = (Entitlement(view, "FR"), Entitlement(view, "DE"));
        Assert.Equal(5.0 / 6, frEntitled, 3);
        Assert.Equal(1.0 / 6, deEntitled, 3);

        // 1. Contention: FR's users keep 7 jobs outstanding, DE's 5 (first come, first served would give DE about 5/12).
        var until = DateTimeOffset.UtcNow + s_contention;
        var frBacklog = BacklogAsync(fr, "fr-backlog", "ana@fr.example", 7, until);
        var deBacklog = BacklogAsync(de, "de-backlog", "jonas@de.example", 5, until);
        var (frEnded, frOpen) = await frBacklog;
        var (deEnded, deOpen) = await deBacklog;
        var charged = await SharesAsync();
        var stillOpen = string.Join("; ", frOpen.Take(2).Select(id => (fr, id)).Concat(deOpen.Take(2).Select(id => (de, id)))
            .Select(o => JobAsync(o.Item1, o.id).Result).Select(j => $"{j["ref"]} {j["state"]} ({j["stateReason"]})"));
        await CancelAsync(fr, frOpen);
        await CancelAsync(de, deOpen);

        Assert.DoesNotContain(frEnded.Concat(deEnded), j => j.State is not ("succeeded" or "cancelled"));
        var frReceived = frEnded.Where(j => j.State == "succeeded").Sum(j => j.AcceleratorSeconds);
        var deReceived = deEnded.Where(j => j.State == "succeeded").Sum(j => j.AcceleratorSeconds);
        var deShare = deReceived / (frReceived + deReceived);
        var usage = charged["nations"]!.AsArray().ToDictionary(n => n!["name"]!.GetValue<string>(), n => n!["usage"]!.GetValue<double>());
        var deCharged = usage["DE"] / (usage["FR"] + usage["DE"]);
        output?.WriteLine($"contention: FR ran {frEnded.Count(j => j.State == "succeeded")} jobs ({frReceived:0} acc-s), DE {deEnded.Count(j => j.State == "succeeded")} ({deReceived:0} acc-s); "
            + $"received FR {F(1 - deShare)} DE {F(deShare)}; charged DE {F(deCharged)}; entitled FR {F(frEntitled)} DE {F(deEntitled)}");
        Assert.True(frEnded.Count + deEnded.Count >= 30, $"the backlogs kept FR busy: {frEnded.Count} + {deEnded.Count} jobs ended in {s_contention.TotalSeconds} s; still open: {stillOpen}");
        Assert.True(Math.Abs(deShare - deEntitled) <= Tolerance,
            $"DE received {F(deShare)} of FR's accelerator-time (FR {F(1 - deShare)}), entitled to {F(deEntitled)} (FR {F(frEntitled)}): more than {Tolerance} apart");
        Assert.True(Math.Abs(deCharged - deEntitled) <= Tolerance, $"FR's ledger charged DE {F(deCharged)} of the usage, entitled to {F(deEntitled)}");
        await FrIdleAsync("after the contention");

        // 2. DE (over its share now) borrows FR's idle H100s; FR's own demand arrives and they are given back.
        await SubmitAsync(de, Job("de-long-1", "jonas@de.example", 1, 1.2, 180));
        await WaitJobAsync(de, "de-long-1", j => State(j) == "running", "DE's first long run starts on FR");
        var longRuns = new[] { "de-long-1", "de-long-2", "de-long-3", "de-long-4" };
        foreach (var id in longRuns.Skip(1))
        {
            await SubmitAsync(de, Job(id, "jonas@de.example", 1, 1.2, 180));
        }

        // The epoch each runs in: an offer refused while a reclaim of the contention still held FR's H100s went again under the next.
        var runningEpoch = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in longRuns)
        {
            var running = await WaitJobAsync(de, id, j => State(j) == "running", "DE's long run holds one of FR's H100s");
            runningEpoch[id] = running["epoch"]!.GetValue<int>();
        }

        var lent = (await SharesAsync())["borrowedRuns"]!.AsArray().Select(b => b!["job"]!.GetValue<string>()).ToList();
        Assert.True(lent.Count(j => j.StartsWith("DE/de-long-", StringComparison.Ordinal)) >= 2, $"DE, over its share, runs on borrowed H100s: {string.Join(", ", lent)}");

        var asked = Stopwatch.StartNew();
        await SubmitAsync(fr, Job("fr-demand", "ana@fr.example", 3, 0.03, 30));
        var owner = await WaitJobAsync(fr, "fr-demand", j => State(j) is "running" or "succeeded", "FR's own demand gets its H100s back");
        asked.Stop();
        output?.WriteLine($"reclaim: FR's 3-H100 job ran {asked.Elapsed.TotalSeconds:0.0} s after it was submitted; grace {FairShareNations.Grace.TotalSeconds} s, hold {FairShareNations.Hold.TotalSeconds} s");
        Assert.True(owner["admissions"]!.AsArray()[0]!["admitted"]!.GetValue<bool>(), $"FR admits its own demand at once: {owner["admissions"]!.ToJsonString()}");
        Assert.True(asked.Elapsed < FairShareNations.Grace + FairShareNations.Hold,
            $"FR's job ran {asked.Elapsed.TotalSeconds:0.0} s after its demand, over the reclaim grace plus the hold ({(FairShareNations.Grace + FairShareNations.Hold).TotalSeconds} s)");

        var epochs = new List<(string Id, string State, string Reason)>();
        foreach (var id in longRuns)
        {
            var execution = (await fr.GetFromJsonAsync<JsonObject>($"api/v1/executions/DE/{id}/{runningEpoch[id]}", Ct))!;
            epochs.Add((id, execution["state"]!.GetValue<string>(), execution["stateReason"]?.GetValue<string>() ?? ""));
        }

        var reclaimed = epochs.Where(e => e.State == "requeued" && e.Reason.Contains("reclaimed: FR needs 3 accelerators within its shares and 1 are free", StringComparison.Ordinal)).ToList();
        Assert.True(reclaimed.Count == 2, $"two borrowed runs cover FR's missing two H100s: {string.Join("; ", epochs)}");
        Assert.All(reclaimed, r => Assert.Contains($"DE/{r.Id}", lent));
        var signalled = await EventSayingAsync(de, reclaimed[0].Id, "signalled to checkpoint: reclaimed: ");
        Assert.Contains("checkpoint grace 1 s", signalled, StringComparison.Ordinal);
        var told = await EventSayingAsync(de, reclaimed[0].Id, "given back: reclaimed: ");
        Assert.Contains($"FR gave epoch {runningEpoch[reclaimed[0].Id]} back: given back: reclaimed: FR needs 3 accelerators within its shares", told, StringComparison.Ordinal);
        await CancelAsync(de, longRuns);
        await WaitJobAsync(fr, "fr-demand", j => State(j) == "succeeded", "FR's demand ends");
        await FrIdleAsync("after the reclaim");

        // 3. A course registered through the API in both nations; consortia climate and health hold FR's research H100s.
        foreach (var api in new[] { fr, de })
        {
            using var created = await api.PostAsJsonAsync("api/v1/courses", new JsonObject { ["id"] = "ml-101", ["supervisor"] = "uni:prof", ["title"] = "Machine learning 101" }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        foreach (var (id, consortium) in new[] { ("climate-1", "climate"), ("health-1", "health") })
        {
            await SubmitAsync(fr, Job(id, "ana@fr.example", 2, 4, 180, consortium));
            await WaitJobAsync(fr, id, j => State(j) == "running", $"consortium {consortium} holds its quota");
        }

        await SubmitAsync(fr, Job("climate-2", "ana@fr.example", 1, 1.2, 180, "climate"));
        var over = await WaitJobAsync(fr, "climate-2", j => j["admissions"]!.AsArray().Any(a => a!["admitted"]!.GetValue<bool>() == false), "climate over its quota is refused");
        var refusal = over["admissions"]!.AsArray().First(a => a!["admitted"]!.GetValue<bool>() == false)!["reason"]!.GetValue<string>();
        Assert.StartsWith("consortium-quota: consortium climate would hold 3 accelerators, over its quota of 2", refusal, StringComparison.Ordinal);

        await SubmitAsync(de, Job("lab-1", "jonas@de.example", 1, 0.01, 30, course: "ml-101"));
        var student = await WaitJobAsync(de, "lab-1", Ended, "DE's student job runs in FR's student quota");
        Assert.Equal("succeeded", State(student));
        Assert.Equal("FR", student["nation"]!.GetValue<string>());
        var shares = await SharesAsync();
        Assert.Equal(1, shares["students"]!["quota"]!.GetValue<int>());
        Assert.Equal(["climate:2", "health:2"], shares["consortia"]!.AsArray().Select(c => $"{c!["name"]}:{c["held"]}").Order(StringComparer.Ordinal));
        Assert.NotEqual("running", State(await JobAsync(fr, "climate-2")));
        await CancelAsync(fr, ["climate-1", "health-1", "climate-2"]);
    }
}
