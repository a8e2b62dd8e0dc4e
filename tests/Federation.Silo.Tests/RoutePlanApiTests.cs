using System.Net;
using System.Text.Json.Nodes;

namespace Federation.Silo.Tests;

/// <summary>
/// <c>POST /api/v1/routes:plan</c> on one embedded nation (FR, no peers): bad job specs get
/// 400 naming the field and the reason; a job that can run nowhere gets the full decision record.
/// </summary>
public sealed class RoutePlanApiTests(RoutePlanSilo fixture) : IClassFixture<RoutePlanSilo>
{
    private HttpClient Client => fixture.Silo.Client;

    private static JsonObject Job(string id = "plan-1") => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "alice@example.org", ["consortium"] = "onco" },
        ["inputs"] = new JsonArray("FR/health-records"),
        ["purpose"] = new JsonObject { ["use"] = "HMB", ["ethicsApprovalReference"] = "IRB-7" },
        ["accelerators"] = new JsonObject { ["count"] = 2, ["models"] = new JsonArray("h100-sxm") },
        ["work"] = new JsonObject { ["acceleratorHours"] = 10, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 600,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0", ["arguments"] = new JsonObject { ["epochs"] = 3 } },
    };

    private Task<HttpResponseMessage> PlanAsync(JsonObject job) =>
        Client.PostAsync("/api/v1/routes:plan", Payloads.Json(job), TestContext.Current.CancellationToken);

    public static TheoryData<string, string, string> BadJobs { get; } = new()
    {
        { "unknown dataset", "inputs[0]", "is not in FR's catalogue" },
        { "unknown accelerator slug", "accelerators.models[0]", "is not a known accelerator" },
        { "unknown reference accelerator", "work.referenceAccelerator", "is not a known accelerator" },
        { "deadline in the past", "deadline", "is in the past" },
        { "zero work", "work.acceleratorHours", "must be more than 0" },
        { "negative FLOPs", "work.flops", "must be more than 0" },
        { "DS without a disease term", "purpose.diseaseTerm", "is required when the use is DS" },
        { "workload on no allow-list", "workload", "is on no nation's allow-list" },
        { "foreign dataset of a nation off the roster", "inputs[0]", "not on the federation roster" },
        { "no walltime", "walltimeMinutes", "is required" },
        { "unknown use", "purpose.use", "is not a use" },
    };

    [Theory]
    [MemberData(nameof(BadJobs))]
    public async Task Plan_BadJobSpec_Returns400NamingFieldAndReason(string why, string field, string reason)
    {
        var job = Job();
        switch (why)
        {
            case "unknown dataset": job["inputs"] = new JsonArray("FR/no-such-data"); break;
            case "unknown accelerator slug": job["accelerators"]!["models"] = new JsonArray("h900-quantum"); break;
            case "unknown reference accelerator": job["work"]!["referenceAccelerator"] = "tpu-v9"; break;
            case "deadline in the past": job["deadline"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"); break;
            case "zero work": job["work"]!["acceleratorHours"] = 0; break;
            case "negative FLOPs": job["work"] = new JsonObject { ["flops"] = -1e15 }; break;
            case "DS without a disease term": job["purpose"]!["use"] = "DS"; break;
            case "workload on no allow-list": job["workload"]!["name"] = "mine-bitcoin"; break;
            case "foreign dataset of a nation off the roster": job["inputs"] = new JsonArray("NO/fjord-survey"); break;
            case "no walltime": job.Remove("walltimeMinutes"); break;
            case "unknown use": job["purpose"]!["use"] = "FUN"; break;
            default: throw new ArgumentOutOfRangeException(nameof(why), why, "no such case");
        }

        var problem = await Http.ExpectInvalidFieldAsync(await PlanAsync(job), field);
        var messages = problem["errors"]![field]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.True(messages.Any(m => m.Contains(reason, StringComparison.Ordinal)), $"{why}: expected '{reason}' in {string.Join(" | ", messages)}");
    }

    [Fact]
    public async Task Plan_FeasibleJob_ChoosesThisNationWithScoreComponents()
    {
        var decision = await Http.ExpectAsync(await PlanAsync(Job()), HttpStatusCode.OK);
        Assert.Equal("FR/plan-1", decision["job"]!.GetValue<string>());
        Assert.Equal("FR", decision["chosen"]!.GetValue<string>());
        var fr = decision["candidates"]!.AsArray().Single()!;
        Assert.Equal(1, fr["rank"]!.GetValue<int>());
        var score = fr["score"]!;
        Assert.Equal("h100-sxm", score["accelerator"]!.GetValue<string>());

        // 10 h on an A100 (312 TFLOPS) is 10 x 312 / 989 h on an H100, at 700 W.
        var hours = 10 * 312.0 / 989;
        Assert.Equal(hours, score["acceleratorHours"]!.GetValue<double>(), 1e-9);
        Assert.Equal(hours * 0.7 * score["pue"]!.GetValue<double>(), score["computeKwh"]!.GetValue<double>(), 1e-9);
        Assert.Equal(0, score["transferBytes"]!.GetValue<long>());
        Assert.True(score["computeGco2e"]!.GetValue<double>() > 0, decision.ToJsonString());
    }

    [Fact]
    public async Task Plan_JobThatFitsNowhere_Returns200WithEveryReason()
    {
        var job = Job("too-big");
        job["accelerators"]!["count"] = 64;
        var decision = await Http.ExpectAsync(await PlanAsync(job), HttpStatusCode.OK);
        Assert.Null(decision["chosen"]);
        Assert.StartsWith("no nation can run this job", decision["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        var exclusion = decision["candidates"]![0]!["exclusions"]![0]!;
        Assert.Equal("acceleratorFit", exclusion["rule"]!.GetValue<string>());
        Assert.Contains("4 x h100-sxm", exclusion["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("64 x h100-sxm", exclusion["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_PurposeTheDataForbids_ExcludesWithTheDuoTerm()
    {
        var job = Job("no-irb");
        job["purpose"] = new JsonObject { ["use"] = "HMB" };
        var decision = await Http.ExpectAsync(await PlanAsync(job), HttpStatusCode.OK);
        Assert.Null(decision["chosen"]);
        var exclusion = decision["candidates"]![0]!["exclusions"]![0]!;
        Assert.Equal("dataUse", exclusion["rule"]!.GetValue<string>());
        Assert.Equal("IRB", exclusion["code"]!.GetValue<string>());
        Assert.Contains("FR/health-records", exclusion["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_WithdrawnDataset_Returns400()
    {
        var ct = TestContext.Current.CancellationToken;
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("old-records")), ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/datasets/old-records:withdraw", Payloads.Json(new JsonObject { ["reason"] = "superseded" }), ct), HttpStatusCode.OK);
        var job = Job("old");
        job["inputs"] = new JsonArray("FR/old-records");
        var problem = await Http.ExpectInvalidFieldAsync(await PlanAsync(job), "inputs[0]");
        Assert.Contains("withdrawn", problem["errors"]!["inputs[0]"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
