using System.Net;
using System.Text.Json.Nodes;

namespace Federation.Silo.Tests;

/// <summary>
/// Federated jobs through <c>POST /api/v1/routes:plan</c> and <c>POST /api/v1/jobs</c> on one embedded
/// nation (FR, no peers): bad <c>federated</c> fields are a 400 naming them, the decision carries the
/// federated plan, a job that cannot be planned is refused at submission with a 422 and the reason,
/// and a dataset's export policy is validated and shown in the catalogue.
/// </summary>
public sealed class FederatedPlanApiTests(RoutePlanSilo fixture) : IClassFixture<RoutePlanSilo>
{
    private HttpClient Client => fixture.Silo.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Job(string id, string input = "FR/health-records") => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "alice@example.org", ["consortium"] = "onco" },
        ["inputs"] = new JsonArray(input),
        ["purpose"] = new JsonObject { ["use"] = "HMB", ["ethicsApprovalReference"] = "IRB-7" },
        ["accelerators"] = new JsonObject { ["count"] = 1 },
        ["work"] = new JsonObject { ["acceleratorHours"] = 1, ["referenceAccelerator"] = "h100-sxm" },
        ["walltimeMinutes"] = 60,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
        ["federated"] = new JsonObject
        {
            ["training"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
            ["aggregation"] = new JsonObject { ["rule"] = "fedprox", ["mu"] = 0.01 },
            ["rounds"] = 8,
            ["stopping"] = new JsonObject { ["rule"] = "validationLoss", ["minLossChange"] = 0.001 },
            ["roundPolicy"] = new JsonObject { ["onFailure"] = "skipNation", ["waitMinutes"] = 30 },
            ["privacy"] = new JsonObject { ["clipNorm"] = 1.0, ["noiseMultiplier"] = 1.1 },
        },
    };

    private Task<HttpResponseMessage> PlanAsync(JsonObject job) => Client.PostAsync("/api/v1/routes:plan", Payloads.Json(job), Ct);

    private async Task RegisterAsync(string id, string exports)
    {
        var dataset = Payloads.Dataset(id);
        dataset["exports"] = exports;
        var record = await Http.ExpectAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(dataset), Ct), HttpStatusCode.Created);
        Assert.Equal(exports, record["spec"]!["exports"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> BadFields { get; } = new()
    {
        { "zero rounds", "federated.rounds", "must be 1 to 1000, got 0" },
        { "no rounds", "federated.rounds", "is required" },
        { "unknown aggregation", "federated.aggregation.rule", "'median' is not an aggregation rule" },
        { "fedprox without mu", "federated.aggregation.mu", "is required with fedprox" },
        { "fedavg with mu", "federated.aggregation.mu", "applies to fedprox only" },
        { "unknown stopping rule", "federated.stopping.rule", "is not a stopping rule" },
        { "validation loss without threshold", "federated.stopping.minLossChange", "is required with validationLoss" },
        { "unknown round policy", "federated.roundPolicy.onFailure", "'retry' is not a round policy" },
        { "wait too long", "federated.roundPolicy.waitMinutes", "must be 1 to 10080 minutes" },
        { "negative clip norm", "federated.privacy.clipNorm", "must be more than 0" },
        { "no noise multiplier", "federated.privacy.noiseMultiplier", "is required" },
        { "no training workload", "federated.training", "is required" },
        { "bad training version", "federated.training.version", "is not a version" },
        { "training on no allow-list", "federated.training", "is on no nation's allow-list" },
        { "zero contributors", "federated.minContributors", "must be 1 to 64" },
        { "one contributor, secure", "federated.minContributors", "must be 2 or more with secure aggregation" },
        { "no inputs", "inputs", "a federated job needs at least one input dataset" },
        { "output model without version", "federated.output.model", "<name>@<version>" },
        { "output model with a bad name", "federated.output.model", "lower-case letters" },
        { "output licence not SPDX", "federated.output.licence", "SPDX" },
        { "output description with a control character", "federated.output.description", "must not contain control characters" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Plan_BadFederatedField_Returns400NamingIt(string why, string field, string reason)
    {
        var job = Job("fl-bad");
        var federated = job["federated"]!.AsObject();
        switch (why)
        {
            case "zero rounds": federated["rounds"] = 0; break;
            case "no rounds": federated.Remove("rounds"); break;
            case "unknown aggregation": federated["aggregation"] = new JsonObject { ["rule"] = "median" }; break;
            case "fedprox without mu": federated["aggregation"]!.AsObject().Remove("mu"); break;
            case "fedavg with mu": federated["aggregation"]!["rule"] = "fedavg"; break;
            case "unknown stopping rule": federated["stopping"]!["rule"] = "patience"; break;
            case "validation loss without threshold": federated["stopping"]!.AsObject().Remove("minLossChange"); break;
            case "unknown round policy": federated["roundPolicy"]!["onFailure"] = "retry"; break;
            case "wait too long": federated["roundPolicy"]!["waitMinutes"] = 20000; break;
            case "negative clip norm": federated["privacy"]!["clipNorm"] = -1; break;
            case "no noise multiplier": federated["privacy"]!.AsObject().Remove("noiseMultiplier"); break;
            case "no training workload": federated.Remove("training"); break;
            case "bad training version": federated["training"]!["version"] = "1 0"; break;
            case "training on no allow-list": federated["training"]!["name"] = "mine-bitcoin"; break;
            case "zero contributors": federated["minContributors"] = 0; break;
            case "one contributor, secure": federated["minContributors"] = 1; federated["secureAggregation"] = true; break;
            case "no inputs": job.Remove("inputs"); break;
            case "output model without version": federated["output"] = new JsonObject { ["model"] = "outcome-model" }; break;
            case "output model with a bad name": federated["output"] = new JsonObject { ["model"] = "Outcome_Model@1.0.0" }; break;
            case "output licence not SPDX": federated["output"] = new JsonObject { ["model"] = "outcome-model@1.0.0", ["licence"] = "free for all!" }; break;
            case "output description with a control character": federated["output"] = new JsonObject { ["description"] = "bell\u0007" }; break;
            default: throw new ArgumentOutOfRangeException(nameof(why), why, "no such case");
        }

        var problem = await Http.ExpectInvalidFieldAsync(await PlanAsync(job), field);
        var messages = problem["errors"]![field]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.True(messages.Any(m => m.Contains(reason, StringComparison.Ordinal)), $"{why}: expected '{reason}' in {string.Join(" | ", messages)}");
    }

    [Fact]
    public async Task Plan_InputThatExportsNothing_DecisionSaysNotPlannedNamingDatasetAndPolicy()
    {
        var decision = await Http.ExpectAsync(await PlanAsync(Job("fl-none")), HttpStatusCode.OK);

        Assert.Null(decision["chosen"]);
        var plan = decision["federated"]!;
        Assert.False(plan["planned"]!.GetValue<bool>());
        var refusal = plan["refusals"]![0]!;
        Assert.Equal("exports", refusal["rule"]!.GetValue<string>());
        Assert.Equal("FR/health-records", refusal["subject"]!.GetValue<string>());
        Assert.Contains("dataset FR/health-records exports 'none'", decision["summary"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_OneNationOfMaskedUpdates_NotPlannedForTooFewContributors()
    {
        await RegisterAsync("fl-outcomes", "maskedUpdates");

        var decision = await Http.ExpectAsync(await PlanAsync(Job("fl-alone", "FR/fl-outcomes")), HttpStatusCode.OK);

        var plan = decision["federated"]!;
        Assert.False(plan["planned"]!.GetValue<bool>());
        Assert.Empty(plan["refusals"]!.AsArray());
        var fr = plan["aggregators"]!.AsArray().Single()!;
        Assert.Equal("FR", fr["nation"]!.GetValue<string>());
        Assert.Equal("contributors", fr["exclusions"]![0]!["rule"]!.GetValue<string>());
        Assert.Contains("secure aggregation needs at least 2 besides the aggregator", decision["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("localTraining", plan["steps"]![0]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Submit_FederatedJobThatCannotBePlanned_Returns422WithTheReasonAndStoresNothing()
    {
        using var response = await Client.PostAsync("/api/v1/jobs", Payloads.Json(Job("fl-refused")), Ct);

        var problem = await Http.ExpectProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("dataset FR/health-records exports 'none'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        using var lookup = await Client.GetAsync("/api/v1/jobs/fl-refused", Ct);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task RegisterDataset_UnknownExportPolicy_Returns400NamingExports()
    {
        var dataset = Payloads.Dataset("fl-bad-exports");
        dataset["exports"] = "sometimes";

        var problem = await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(dataset), Ct), "exports");

        Assert.Contains("'sometimes' is not an export policy", problem["errors"]!["exports"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterDataset_WithoutExports_ShowsNone()
    {
        var record = await Http.ExpectAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("fl-default-exports")), Ct), HttpStatusCode.Created);

        Assert.Equal("none", record["spec"]!["exports"]!.GetValue<string>());
    }
}
