using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Federation.Silo.Tests.Shares;

/// <summary>
/// The student tier and consortium quotas on one embedded nation with 8 accelerators (two nodes of 4),
/// shared by the class (<see cref="StudentTierSilo"/>): two consortia fill their quotas, a third claim by
/// one of them is refused by its quota, and a student job still runs inside the tier's guaranteed quota.
/// </summary>
public sealed class StudentTierSiloTests(StudentTierSilo fixture) : IClassFixture<StudentTierSilo>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    // 30 days: the consortia's runs (hundreds of estimated hours, a second each here) outlast the scenario.
    private const double Long = 43200;

    private HttpClient Client => fixture.Silo.Client;

    private static JsonObject Job(string id, int count, double hours, string? consortium = null, string? course = null, double walltime = 600)
    {
        var job = new JsonObject
        {
            ["id"] = id,
            ["owner"] = consortium is null ? new JsonObject { ["user"] = "alice" } : new JsonObject { ["user"] = "alice", ["consortium"] = consortium },
            ["purpose"] = new JsonObject { ["use"] = "GRU" },
            ["accelerators"] = new JsonObject { ["count"] = count },
            ["work"] = new JsonObject { ["acceleratorHours"] = hours, ["referenceAccelerator"] = "a100-80gb-sxm" },
            ["walltimeMinutes"] = walltime,
            ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
        };
        if (course is not null)
        {
            job["tier"] = "student";
            job["course"] = course;
        }

        return job;
    }

    private async Task<JsonObject> WaitAsync(string id, string phase, Func<JsonObject, bool> done)
    {
        var ct = TestContext.Current.CancellationToken;
        var deadline = DateTimeOffset.UtcNow + s_wait;
        while (true)
        {
            var job = (await Client.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{id}", ct))!;
            if (done(job))
            {
                return job;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"{phase}: job {id} did not get there within {s_wait.TotalSeconds} s (state {job["state"]}, {job["stateReason"]})");
            await Task.Delay(100, ct);
        }
    }

    private static bool Running(JsonObject job) => job["state"]?.GetValue<string>() is "running";

    [Fact]
    public async Task TwoConsortiaSaturate_StudentJobRunsInItsQuotaAndAThirdClaimIsRefusedByTheQuota()
    {
        var ct = TestContext.Current.CancellationToken;
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("climate-1", 3, 1500, "climate", walltime: Long)), ct), HttpStatusCode.Created);
        await WaitAsync("climate-1", "climate fills its quota", Running);
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("health-1", 3, 1500, "health", walltime: Long)), ct), HttpStatusCode.Created);
        await WaitAsync("health-1", "health fills its quota", Running);

        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("climate-2", 2, 1000, "climate", walltime: Long)), ct), HttpStatusCode.Created);
        var refused = await WaitAsync("climate-2", "climate over its quota", j => (j["admissions"] as JsonArray ?? []).Any(a => a?["admitted"]?.GetValue<bool>() == false));
        var reason = (refused["admissions"] as JsonArray)!.First(a => a?["admitted"]?.GetValue<bool>() == false)!["reason"]!.GetValue<string>();
        Assert.StartsWith("consortium-quota: consortium climate would hold 5 accelerators, over its quota of 3", reason, StringComparison.Ordinal);

        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("lab-1", 1, 1, course: "ml-101", walltime: 30)), ct), HttpStatusCode.Created);
        var student = await WaitAsync("lab-1", "the student job runs in the tier's quota", j => j["state"]?.GetValue<string>() is "succeeded" or "failed");
        Assert.Equal("succeeded", student["state"]!.GetValue<string>());
        Assert.Equal("student", student["spec"]!["tier"]!.GetValue<string>());

        var shares = (await Client.GetFromJsonAsync<JsonObject>("/api/v1/shares", ct))!;
        Assert.Equal(2, shares["students"]!["quota"]!.GetValue<int>());
        Assert.Equal(["ml-101"], (shares["students"]!["courses"] as JsonArray)!.Select(c => c!.GetValue<string>()));
        var climate = (shares["consortia"] as JsonArray)!.Single(c => c!["name"]!.GetValue<string>() == "climate")!;
        Assert.Equal(3, climate["held"]!.GetValue<int>());
        Assert.Equal(0.375, climate["entitlement"]!.GetValue<double>());
    }

    [Fact]
    public async Task StudentJobWithoutARegisteredCourse_RefusedNamingTheRule()
    {
        var ct = TestContext.Current.CancellationToken;

        var response = await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("lab-x", 1, 1, course: "no-such-course", walltime: 30)), ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!;
        Assert.Equal("student-course", problem["rule"]!.GetValue<string>());
        Assert.Equal("course", problem["field"]!.GetValue<string>());
        Assert.Contains("registered here: ml-101", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("student", null, 30, "course", "is required with tier student")]
    [InlineData(null, "ml-101", 30, "course", "applies to the student tier only")]
    [InlineData("gold", null, 30, "tier", "'gold' is not a tier")]
    [InlineData("student", "ml-101", 2000, "walltimeMinutes", "the student tier allows at most 1440 minutes")]
    public async Task BadTierOrCourse_IsA400NamingTheField(string? tier, string? course, double walltime, string field, string rule)
    {
        var ct = TestContext.Current.CancellationToken;
        var job = Job("lab-bad", 1, 1, walltime: walltime);
        job["tier"] = tier;
        job["course"] = course;
        if (tier is null)
        {
            job.Remove("tier");
        }

        if (course is null)
        {
            job.Remove("course");
        }

        var response = await Client.PostAsync("/api/v1/jobs", Payloads.Json(job), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!;
        Assert.Contains(rule, problem["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
