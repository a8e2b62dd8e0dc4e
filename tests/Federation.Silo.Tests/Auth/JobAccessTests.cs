using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Testing;
using Federation.Transparency;

namespace Federation.Silo.Tests.Auth;

/// <summary>
/// Jobs belong to callers (issue 16, item 1): the owner is the authenticated caller, consortium
/// membership decides who submits for a consortium and who sees, cancels and reads its jobs.
/// </summary>
public sealed class JobAccessTests : IAsyncLifetime
{
    private SecuredNation _nation = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _nation = await SecuredNation.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Executor:SecondsPerEstimatedHour"] = "3600",
        });
        using var admin = _nation.Client(SiloUnderTest.AdminToken);
        await Http.ExpectAsync(await admin.PostAsync("/api/v1/nodes", Payloads.Json(Payloads.Node("gpu-access", leaseSeconds: 3600)), Ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await admin.PostAsync("/api/v1/nodes/gpu-access/heartbeat", Payloads.Json(new JsonObject()), Ct), HttpStatusCode.OK);
    }

    public async ValueTask DisposeAsync() => await _nation.DisposeAsync();

    private static JsonObject Job(string id, string user, string? consortium) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = user, ["consortium"] = consortium },
        ["purpose"] = new JsonObject { ["use"] = "GRU" },
        ["accelerators"] = new JsonObject { ["count"] = 1 },
        ["work"] = new JsonObject { ["acceleratorHours"] = 2, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 600,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
    };

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task ConsortiumJob_MembersSeeAndCancel_OthersGet403WithTheRule()
    {
        using var mia = _nation.Client(_nation.UniToken("mia", consortia: ["c1"]));
        using var max = _nation.Client(_nation.UniToken("max", consortia: ["c1"]));
        using var eve = _nation.Client(_nation.UniToken("eve", consortia: ["c2"]));
        using var auditor = _nation.Client(_nation.UniToken("aud", groups: ["audit"]));

        await Http.ExpectAsync(await mia.PostAsync("/api/v1/jobs", Payloads.Json(Job("c1-job", "uni:mia", "c1")), Ct), HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.OK, (await max.GetAsync("/api/v1/jobs/c1-job", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/v1/jobs/c1-job", Ct)).StatusCode);
        var seen = await ProblemAsync(await eve.GetAsync("/api/v1/jobs/c1-job", Ct), HttpStatusCode.Forbidden);
        Assert.Contains("members of consortium 'c1'", seen.GetProperty("rule").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await eve.GetAsync("/api/v1/jobs/c1-job/decision", Ct), HttpStatusCode.Forbidden);
        await ProblemAsync(await eve.GetAsync("/api/v1/jobs/c1-job/outputs", Ct), HttpStatusCode.Forbidden);
        await ProblemAsync(await eve.PostAsync("/api/v1/jobs/c1-job:cancel", null, Ct), HttpStatusCode.Forbidden);
        await ProblemAsync(await auditor.PostAsync("/api/v1/jobs/c1-job:cancel", null, Ct), HttpStatusCode.Forbidden);

        var eveList = await eve.GetFromJsonAsync<JsonElement>("/api/v1/jobs", Ct);
        Assert.DoesNotContain(eveList.GetProperty("items").EnumerateArray(), j => j.GetProperty("spec").GetProperty("id").GetString() == "c1-job");
        var maxList = await max.GetFromJsonAsync<JsonElement>("/api/v1/jobs", Ct);
        Assert.Contains(maxList.GetProperty("items").EnumerateArray(), j => j.GetProperty("spec").GetProperty("id").GetString() == "c1-job");

        using var cancelled = await max.PostAsync("/api/v1/jobs/c1-job:cancel", null, Ct);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
    }

    [Fact]
    public async Task Submit_WithAnotherOwner_Is403NamingOwnerUser()
    {
        using var mia = _nation.Client(_nation.UniToken("mia", consortia: ["c1"]));
        var problem = await ProblemAsync(await mia.PostAsync("/api/v1/jobs", Payloads.Json(Job("spoofed", "uni:someone-else", "c1")), Ct), HttpStatusCode.Forbidden);
        Assert.Equal("owner.user", problem.GetProperty("field").GetString());
        Assert.Contains("'uni:mia'", problem.GetProperty("rule").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await mia.GetAsync("/api/v1/jobs/spoofed", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Submit_ForAConsortiumTheCallerIsNotIn_Is403NamingOwnerConsortium()
    {
        using var eve = _nation.Client(_nation.UniToken("eve", consortia: ["c2"]));
        var problem = await ProblemAsync(await eve.PostAsync("/api/v1/jobs", Payloads.Json(Job("c1-by-eve", "uni:eve", "c1")), Ct), HttpStatusCode.Forbidden);
        Assert.Equal("owner.consortium", problem.GetProperty("field").GetString());
        Assert.Contains("consortium 'c1'", problem.GetProperty("rule").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersonalJob_OnlyItsOwnerAndOverseersSeeIt()
    {
        using var stu = _nation.Client(_nation.UniToken("stu", courses: ["ml-101"]));
        using var other = _nation.Client(_nation.UniToken("sam", courses: ["ml-101"]));
        using var staff = _nation.Client(_nation.UniToken("pat", groups: ["platform"]));
        await Http.ExpectAsync(await stu.PostAsync("/api/v1/jobs", Payloads.Json(Job("stu-job", "uni:stu", null)), Ct), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.OK, (await stu.GetAsync("/api/v1/jobs/stu-job", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/v1/jobs/stu-job", Ct)).StatusCode);
        await ProblemAsync(await other.GetAsync("/api/v1/jobs/stu-job", Ct), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task EveryJobEndpoint_RefusesAnotherConsortium_With403AndARefusalInTheLog()
    {
        using var mia = _nation.Client(_nation.UniToken("mia", consortia: ["c1"]));
        using var eve = _nation.Client(_nation.UniToken("eve", consortia: ["c2"]));
        var created = await Http.ExpectAsync(await mia.PostAsync("/api/v1/jobs", Payloads.Json(Job("c1-audited", "uni:mia", "c1")), Ct), HttpStatusCode.Created);
        var job = created["ref"]!.GetValue<string>();
        var origin = job.Split('/')[0];

        // The execution exists once the job was offered here: wait for it as its owner may see it.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while ((await mia.GetAsync($"/api/v1/executions/{origin}/c1-audited/1", Ct)).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the execution of c1-audited was not there within 60 s");
            await Task.Delay(100, Ct);
        }

        var refused = new (string Action, string Rule, Func<Task<HttpResponseMessage>> Call)[]
        {
            ("get", "job-access-see", () => eve.GetAsync("/api/v1/jobs/c1-audited", Ct)),
            ("explain", "job-access-see", () => eve.GetAsync("/api/v1/jobs/c1-audited/decision", Ct)),
            ("events", "job-access-see", () => eve.GetAsync("/api/v1/jobs/c1-audited/events", HttpCompletionOption.ResponseHeadersRead, Ct)),
            ("execution", "job-access-see", () => eve.GetAsync($"/api/v1/executions/{origin}/c1-audited/1", Ct)),
            ("cancel", "job-access-act", () => eve.PostAsync("/api/v1/jobs/c1-audited:cancel", null, Ct)),
            ("outputs", "job-access-act", () => eve.GetAsync("/api/v1/jobs/c1-audited/outputs", Ct)),
            ("outputs", "job-access-act", () => eve.GetAsync("/api/v1/jobs/c1-audited/outputs/a.txt", Ct)),
            ("outputs", "job-access-act", () => eve.GetAsync("/api/v1/jobs/c1-audited/logs/stdout", Ct)),
        };
        foreach (var (action, rule, call) in refused)
        {
            using var response = await call();
            var problem = await ProblemAsync(response, HttpStatusCode.Forbidden);
            Assert.Contains("consortium 'c1'", problem.GetProperty("rule").GetString(), StringComparison.Ordinal);
            Assert.Equal(rule, problem.GetProperty("ruleName").GetString());
        }

        var eveDigest = AuditLog.Digest(_nation.Silo.Services, "uni:eve");
        var entries = (await AuditLog.EntriesAsync(_nation.Silo.Services, TransparencyEntryKind.Refusal)).Where(e => e.Job == job).ToList();
        Assert.Equal(refused.Length, entries.Count);
        Assert.All(entries, e => Assert.Equal(eveDigest, e.Subject));
        Assert.Equal(refused.Select(r => (r.Action, r.Rule)), entries.Select(e => (e.Detail["action"], e.Rule!)));
        Assert.All(entries, e => Assert.DoesNotContain("uni:eve", string.Join(" ", e.Detail.Values), StringComparison.Ordinal));

        // Its owner is let through, and nothing more is logged for it.
        Assert.Equal(HttpStatusCode.OK, (await mia.GetAsync($"/api/v1/executions/{origin}/c1-audited/1", Ct)).StatusCode);
        Assert.Equal(refused.Length, (await AuditLog.EntriesAsync(_nation.Silo.Services, TransparencyEntryKind.Refusal)).Count(e => e.Job == job));
    }

    [Fact]
    public async Task RefusedSubmission_IsLoggedWithTheRuleAndTheCaller()
    {
        using var eve = _nation.Client(_nation.UniToken("eve", consortia: ["c2"]));
        var problem = await ProblemAsync(await eve.PostAsync("/api/v1/jobs", Payloads.Json(Job("c1-by-eve-logged", "uni:eve", "c1")), Ct), HttpStatusCode.Forbidden);
        Assert.Equal("job-access-submit", problem.GetProperty("ruleName").GetString());
        var entry = Assert.Single(await AuditLog.EntriesAsync(_nation.Silo.Services, TransparencyEntryKind.Refusal), e => e.Job?.EndsWith("/c1-by-eve-logged", StringComparison.Ordinal) == true);
        Assert.Equal("job-access-submit", entry.Rule);
        Assert.Equal("submit", entry.Detail["action"]);
        Assert.Equal(AuditLog.Digest(_nation.Silo.Services, "uni:eve"), entry.Subject);
    }
}
