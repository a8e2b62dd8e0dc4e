using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Fedctl;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// <c>POST /api/v1/routes:plan</c> on a real local federation of three nations: data that may not
/// leave its home, movable data routed by the published carbon formula (recomputed here from the
/// nations' adverts and the accelerator table), a purpose the data forbids, and <c>fedctl plan</c>.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class RoutePlanTests(RoutePlanFederation federation) : IClassFixture<RoutePlanFederation>
{
    private const double Tolerance = 1e-9;

    // The published defaults (ScoreWeights.Default, README "How the router scores"); the decision must carry them.
    private const double PerGco2e = 1.0;
    private const double PerWaitHour = 10.0;
    private const double TransferKwhPerGb = 0.06;
    private const double QueuedJobHours = 1.0;

    private const double WorkHours = 10;
    private const string ReferenceAccelerator = "a100-80gb-sxm";
    private const double WalltimeMinutes = 24 * 60;

    private static ITestOutputHelper? Log => TestContext.Current.TestOutputHelper;

    private static JsonObject Job(string id, string input, JsonObject purpose, int count, double minMemoryGb = 0) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "ana@example.org", ["consortium"] = "eu-research" },
        ["inputs"] = new JsonArray(input),
        ["purpose"] = purpose,
        ["accelerators"] = new JsonObject { ["count"] = count, ["minMemoryGb"] = minMemoryGb },
        ["work"] = new JsonObject { ["acceleratorHours"] = WorkHours, ["referenceAccelerator"] = ReferenceAccelerator },
        ["walltimeMinutes"] = WalltimeMinutes,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
    };

    /// <summary>Case a: a health study on FR's home-only cohort, submitted in DE.</summary>
    private static JsonObject HealthJob() =>
        Job("cohort-study", RoutePlanFederation.HealthCohort, new JsonObject { ["use"] = "HMB", ["ethicsApprovalReference"] = "IRB-2025-17" }, count: 1);

    /// <summary>Case c: commercial ancestry research on SE's panel, which allows non-commercial health research only.</summary>
    private static JsonObject ForbiddenJob() =>
        Job("ancestry-product", RoutePlanFederation.ConsumerPanel, new JsonObject { ["use"] = "POA", ["commercial"] = true }, count: 1);

    private async Task<JsonObject> PlanAsync(string nation, JsonObject job)
    {
        using var response = await federation.Client(nation).PostAsJsonAsync("api/v1/routes:plan", job, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"plan on {nation}: HTTP {(int)response.StatusCode} {text}{federation.Diagnostics()}");
        Log?.WriteLine($"plan on {nation}: {JsonNode.Parse(text)!["summary"]}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static JsonObject Candidate(JsonObject decision, string nation) =>
        decision["candidates"]!.AsArray().OfType<JsonObject>().Single(c => c["nation"]!.GetValue<string>() == nation);

    private static List<JsonObject> Exclusions(JsonObject candidate) => [.. candidate["exclusions"]!.AsArray().OfType<JsonObject>()];

    [Fact]
    public async Task HomeOnlyHealthData_PlannedInDE_ChoosesFR_ExcludesDEAndSEForResidency()
    {
        var decision = await PlanAsync("DE", HealthJob());

        Assert.Equal("DE/cohort-study", decision["job"]!.GetValue<string>());
        Assert.Equal("FR", decision["chosen"]?.GetValue<string>());
        Assert.Equal(["FR", "DE", "SE"], decision["candidates"]!.AsArray().Select(c => c!["nation"]!.GetValue<string>()));
        var fr = Candidate(decision, "FR");
        Assert.Equal(1, fr["rank"]!.GetValue<int>());
        Assert.Empty(Exclusions(fr));
        Assert.Equal("l40s", fr["score"]!["accelerator"]!.GetValue<string>());
        Assert.Equal(0, fr["score"]!["transferBytes"]!.GetValue<long>());

        foreach (var nation in new[] { "DE", "SE" })
        {
            var candidate = Candidate(decision, nation);
            Assert.Null(candidate["rank"]);
            Assert.Null(candidate["score"]);
            var exclusion = Assert.Single(Exclusions(candidate));
            Assert.Equal("residency", exclusion["rule"]!.GetValue<string>());
            Assert.Equal(RoutePlanFederation.HealthCohort, exclusion["subject"]!.GetValue<string>());
            Assert.Equal($"dataset {RoutePlanFederation.HealthCohort} may be processed only in FR, not in {nation}", exclusion["reason"]!.GetValue<string>());
        }

        Log?.WriteLine($"federation ready after {federation.ReadyAfter.TotalSeconds:0.0} s; chosen FR on {fr["score"]!["accelerator"]}, {Gco2e(fr["score"]!):0.###} gCO2e");
    }

    [Fact]
    public async Task MovableData_PlannedInFR_ChoosesLeastComputePlusTransferCarbon_ScoresMatchThePublishedFormula()
    {
        var ct = TestContext.Current.CancellationToken;
        var job = Job("climate-downscaling", RoutePlanFederation.ClimateArchive, new JsonObject { ["use"] = "GRU" }, count: 2, minMemoryGb: 80);
        var decision = await PlanAsync("FR", job);

        // The test's own computation, from what the nations publish.
        var adverts = await federation.AdvertsAsync("FR");
        var table = (await federation.Client("FR").GetFromJsonAsync<JsonArray>("api/v1/reference/accelerators", ct))!
            .OfType<JsonObject>().ToDictionary(a => a["slug"]!.GetValue<string>(), StringComparer.Ordinal);
        var weights = decision["weights"]!;
        Assert.Equal(PerGco2e, weights["perGco2e"]!.GetValue<double>());
        Assert.Equal(PerWaitHour, weights["perWaitHour"]!.GetValue<double>());
        Assert.Equal(TransferKwhPerGb, weights["transferKwhPerGb"]!.GetValue<double>());
        Assert.Equal(QueuedJobHours, weights["queuedJobHours"]!.GetValue<double>());
        var flops = WorkHours * Tflops(table[ReferenceAccelerator]) * 1e12 * 3600;
        var expected = adverts
            .Select(a => (Nation: a.Key, Best: Best(a.Value, table, flops, count: 2, minMemoryGb: 80, a.Key == "DE" ? 0 : RoutePlanFederation.ClimateArchiveBytes)))
            .ToList();
        foreach (var (nation, best) in expected)
        {
            Log?.WriteLine(best is null
                ? $"{nation}: no fitting accelerator ({string.Join(", ", adverts[nation]["accelerators"]!.AsArray().Select(a => $"{a!["total"]} x {a["slug"]}"))})"
                : string.Create(CultureInfo.InvariantCulture,
                    $"{nation}: {best.Accelerator}, {best.AcceleratorHours:0.###} accelerator-h, compute {best.ComputeKwh:0.###} kWh = {best.ComputeGco2e:0.#} g + transfer {best.TransferKwh:0.###} kWh = {best.TransferGco2e:0.#} g at {best.Intensity} g/kWh -> {best.ComputeGco2e + best.TransferGco2e:0.#} gCO2e, wait {best.Wait:0.##} h, total {best.Total:0.###}"));
        }

        var ranking = expected.Where(e => e.Best is not null).OrderBy(e => e.Best!.Total).ThenBy(e => e.Nation, StringComparer.Ordinal).ToList();
        Assert.True(ranking.Count >= 2, "the case needs two feasible nations");
        var chosen = ranking[0];
        Assert.Equal(ranking.Min(r => r.Best!.ComputeGco2e + r.Best.TransferGco2e), chosen.Best!.ComputeGco2e + chosen.Best.TransferGco2e);
        Assert.True(decision["chosen"]?.GetValue<string>() == chosen.Nation, $"expected {chosen.Nation}: {decision.ToJsonString()}");

        // The decision's ranking and every score component match the computation.
        Assert.Equal([.. ranking.Select(r => r.Nation), "FR"], decision["candidates"]!.AsArray().Select(c => c!["nation"]!.GetValue<string>()));
        for (var i = 0; i < ranking.Count; i++)
        {
            var (nation, best) = ranking[i];
            var candidate = Candidate(decision, nation);
            Assert.Equal(i + 1, candidate["rank"]!.GetValue<int>());
            var score = candidate["score"]!;
            Assert.Equal(best!.Accelerator, score["accelerator"]!.GetValue<string>());
            Close(best.AcceleratorHours, score["acceleratorHours"], nation);
            Close(best.AcceleratorHours / 2, score["runHours"], nation);
            Close(best.Watts, score["powerWatts"], nation);
            Close(best.Pue, score["pue"], nation);
            Close(best.ComputeKwh, score["computeKwh"], nation);
            Assert.Equal(best.TransferBytes, score["transferBytes"]!.GetValue<long>());
            Close(best.TransferKwh, score["transferKwh"], nation);
            Close(best.Intensity, score["gridIntensityGco2PerKwh"], nation);
            Close(best.ComputeGco2e, score["computeGco2e"], nation);
            Close(best.TransferGco2e, score["transferGco2e"], nation);
            Close(best.Wait, score["expectedWaitHours"], nation);
            Close(best.Total, score["total"], nation);
        }

        // FR has only 48 GB cards: excluded for fit, and said so.
        var fr = Assert.Single(Exclusions(Candidate(decision, "FR")));
        Assert.Equal("acceleratorFit", fr["rule"]!.GetValue<string>());
        Assert.Equal("FR has 4 x l40s (48 GB); the job needs 2 x any accelerator with at least 80 GB", fr["reason"]!.GetValue<string>());
        Log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chosen {chosen.Nation} on {chosen.Best.Accelerator}: {chosen.Best.ComputeGco2e + chosen.Best.TransferGco2e:0.###} gCO2e (compute {chosen.Best.ComputeGco2e:0.###} + transfer {chosen.Best.TransferGco2e:0.###})"));
    }

    [Fact]
    public async Task PurposeTheDataForbids_NoNationChosen_EveryNationExcludedNamingTheDuoTerms_Http200()
    {
        var decision = await PlanAsync("SE", ForbiddenJob());

        Assert.Null(decision["chosen"]);
        Assert.StartsWith("no nation can run this job", decision["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["DE", "FR", "SE"], decision["candidates"]!.AsArray().Select(c => c!["nation"]!.GetValue<string>()));
        foreach (var candidate in decision["candidates"]!.AsArray().OfType<JsonObject>())
        {
            Assert.Null(candidate["rank"]);
            Assert.Null(candidate["score"]);
            var exclusions = Exclusions(candidate);
            Assert.All(exclusions, e => Assert.Equal("dataUse", e["rule"]!.GetValue<string>()));
            Assert.All(exclusions, e => Assert.Equal(RoutePlanFederation.ConsumerPanel, e["subject"]!.GetValue<string>()));
            Assert.Equal(["HMB", "NCU"], exclusions.Select(e => e["code"]!.GetValue<string>()).Order(StringComparer.Ordinal));
            var reasons = exclusions.Select(e => e["reason"]!.GetValue<string>()).ToList();
            Assert.Contains(reasons, r => r.StartsWith($"dataset {RoutePlanFederation.ConsumerPanel}: HMB (DUO:0000006) allows health/medical/biomedical research only", StringComparison.Ordinal));
            Assert.Contains(reasons, r => r.StartsWith($"dataset {RoutePlanFederation.ConsumerPanel}: NCU (DUO:0000046) allows non-commercial use only", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task FedctlPlan_PrintsTheDecisionTable_ChosenNationAndEveryReason()
    {
        var ct = TestContext.Current.CancellationToken;
        var health = Path.Combine(federation.WorkDirectory, "cohort-study.json");
        await File.WriteAllTextAsync(health, HealthJob().ToJsonString(), ct);
        var (exit, output, error) = await FedctlAsync("DE", "plan", health);
        Log?.WriteLine($"$ fedctl plan cohort-study.json --url {federation.Nation("DE").ApiUrl}{Environment.NewLine}{output}{error}");
        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {output} {error}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NATION  RANK  VERDICT", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^FR +1 +chosen +l40s +[0-9.]+ +[0-9.]+ +0 +[0-9.]+$", lines[1]);
        Assert.Matches($@"^DE +- +excluded +- +- +- +- +- +residency: dataset {RoutePlanFederation.HealthCohort} may be processed only in FR, not in DE$", lines[2]);
        Assert.Matches($@"^SE +- +excluded +- +- +- +- +- +residency: dataset {RoutePlanFederation.HealthCohort} may be processed only in FR, not in SE$", lines[3]);
        Assert.StartsWith("FR: lowest score", lines[^1], StringComparison.Ordinal);

        // A job that can run nowhere: every nation with both DUO terms, one per line; the exit code only on request.
        var forbidden = Path.Combine(federation.WorkDirectory, "ancestry-product.json");
        await File.WriteAllTextAsync(forbidden, ForbiddenJob().ToJsonString(), ct);
        var (nowhereExit, nowhere, nowhereError) = await FedctlAsync("SE", "plan", forbidden, "--fail-if-nowhere");
        Log?.WriteLine($"$ fedctl plan ancestry-product.json --fail-if-nowhere --url {federation.Nation("SE").ApiUrl}{Environment.NewLine}{nowhere}{nowhereError}(exit {nowhereExit})");
        Assert.True(nowhereExit == ExitCodes.Nowhere, $"exit {nowhereExit}: {nowhere} {nowhereError}");
        var rows = nowhere.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, rows.Count(r => r.Contains(" excluded ", StringComparison.Ordinal)));
        Assert.Equal(3, rows.Count(r => r.Contains($"dataUse: dataset {RoutePlanFederation.ConsumerPanel}: HMB (DUO:0000006)", StringComparison.Ordinal)));
        Assert.Equal(3, rows.Count(r => r.Contains($"dataUse: dataset {RoutePlanFederation.ConsumerPanel}: NCU (DUO:0000046)", StringComparison.Ordinal)));
        Assert.StartsWith("no nation can run this job", rows[^1], StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output, string Error)> FedctlAsync(string nation, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["FEDCTL_CONFIG"] = Path.Combine(federation.WorkDirectory, "no-fedctl-config", "config.json"),
            ["FEDCTL_URL"] = federation.Nation(nation).ApiUrl,
        };
        var exit = await FedctlApp.RunAsync(args, output, error, TextReader.Null, environment, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }

    private static double Gco2e(JsonNode score) => score["computeGco2e"]!.GetValue<double>() + score["transferGco2e"]!.GetValue<double>();

    private static void Close(double expected, JsonNode? actual, string nation)
    {
        var value = actual!.GetValue<double>();
        Assert.True(Math.Abs(expected - value) <= Tolerance * Math.Max(1, Math.Abs(expected)), $"{nation}: expected {expected:R}, the decision says {value:R}");
    }

    private static double Tflops(JsonObject accelerator) =>
        (accelerator["tensorTflops"] ?? accelerator["bf16DenseTflops"] ?? accelerator["fp16TensorTflops"])?.GetValue<double>()
        ?? throw new InvalidOperationException($"no throughput for {accelerator["slug"]}");

    /// <summary>The published formula for one nation: the fitting model with the lowest total within the walltime, or null.</summary>
    private static Option? Best(JsonObject advert, Dictionary<string, JsonObject> table, double flops, int count, double minMemoryGb, long transferBytes)
    {
        Option? best = null;
        foreach (var offer in advert["accelerators"]!.AsArray().OfType<JsonObject>())
        {
            var slug = offer["slug"]!.GetValue<string>();
            var free = offer["free"]!.GetValue<int>();
            var total = offer["total"]!.GetValue<int>();
            if (total < count || !table.TryGetValue(slug, out var spec) || spec["memoryGb"]!.GetValue<double>() < minMemoryGb)
            {
                continue;
            }

            var pue = advert["pue"]!.GetValue<double>();
            var intensity = advert["gridIntensityGco2PerKwh"]!.GetValue<double>();
            var watts = spec["tdpWatts"]!.GetValue<double>();
            var acceleratorHours = flops / (Tflops(spec) * 1e12 * 3600);
            var computeKwh = acceleratorHours * watts / 1000 * pue;
            var transferKwh = transferBytes / 1e9 * TransferKwhPerGb;
            var wait = (advert["queueDepth"]!.GetValue<int>() * QueuedJobHours / Math.Max(1, total)) + (free < count ? QueuedJobHours : 0);
            var option = new Option(slug, acceleratorHours, watts, pue, computeKwh, transferBytes, transferKwh, intensity, computeKwh * intensity, transferKwh * intensity, wait,
                (PerGco2e * (computeKwh + transferKwh) * intensity) + (PerWaitHour * wait));
            if (acceleratorHours / count * 60 > WalltimeMinutes)
            {
                continue;
            }

            if (best is null || option.Total < best.Total || (option.Total.Equals(best.Total) && string.CompareOrdinal(option.Accelerator, best.Accelerator) < 0))
            {
                best = option;
            }
        }

        return best;
    }

    private sealed record Option(
        string Accelerator, double AcceleratorHours, double Watts, double Pue, double ComputeKwh, long TransferBytes, double TransferKwh,
        double Intensity, double ComputeGco2e, double TransferGco2e, double Wait, double Total);
}
