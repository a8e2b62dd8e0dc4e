using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Testing;

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
}
