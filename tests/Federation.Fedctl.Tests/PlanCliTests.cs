using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.Fedctl.Tests;

/// <summary>
/// <c>fedctl plan</c> against an embedded silo (FR, no peers): unreadable and invalid job files,
/// a job the silo refuses field by field, and a job that can run nowhere. The tests share one
/// silo: they only plan, and each writes a job file of its own.
/// </summary>
public sealed class PlanCliTests(PlanCliSilo shared) : IClassFixture<PlanCliSilo>
{
    private SiloUnderTest Silo => shared.Silo;

    private string JobDirectory => shared.Directory;

    private Dictionary<string, string?> Environment()
    {
        var environment = FedctlRun.CleanEnvironment();
        environment["FEDCTL_URL"] = Silo.BaseAddress.ToString();
        return environment;
    }

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(JobDirectory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static JsonObject Job() => new()
    {
        ["id"] = "cli-plan",
        ["owner"] = new JsonObject { ["user"] = "alice@example.org" },
        ["inputs"] = new JsonArray("FR/parliament-speech"),
        ["purpose"] = new JsonObject { ["use"] = "GRU" },
        ["accelerators"] = new JsonObject { ["count"] = 1 },
        ["work"] = new JsonObject { ["acceleratorHours"] = 2, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 120,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
    };

    [Fact]
    public async Task Plan_MissingFile_SaysCannotRead_Exits2()
    {
        var missing = Path.Combine(JobDirectory, "no-such-job.json");
        var (exit, output, error) = await FedctlRun.RunAsync(Environment(), "plan", missing);
        Assert.True(exit == ExitCodes.Usage, $"exit {exit}: {output} {error}");
        Assert.Contains($"cannot read the job file {missing}", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public async Task Plan_InvalidJson_SaysWhere_Exits2()
    {
        var (exit, output, error) = await FedctlRun.RunAsync(Environment(), "plan", WriteFile("broken.json", "{\n  \"id\": \"x\",\n  \"inputs\": [\n}"));
        Assert.True(exit == ExitCodes.Usage, $"exit {exit}: {output} {error}");
        Assert.Contains("broken.json is not valid JSON: line 4", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_JsonArray_SaysOneJobObject_Exits2()
    {
        var (exit, _, error) = await FedctlRun.RunAsync(Environment(), "plan", WriteFile("array.json", "[" + Job().ToJsonString() + "]"));
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("must hold one job as a JSON object", error, StringComparison.Ordinal);
        Assert.Contains("not an array", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_JobTheSiloRefuses_PrintsEachFieldAndRule_Exits5()
    {
        var job = Job();
        job.Remove("walltimeMinutes");
        job["accelerators"]!["models"] = new JsonArray("h900-quantum");
        job["deadline"] = DateTimeOffset.UtcNow.AddDays(-1).ToString("O");
        var (exit, output, error) = await FedctlRun.RunAsync(Environment(), "plan", WriteFile("refused.json", job.ToJsonString()));
        Assert.True(exit == ExitCodes.Invalid, $"exit {exit}: {output} {error}");
        Assert.Contains("error: invalid input:", error, StringComparison.Ordinal);
        Assert.Contains("  walltimeMinutes: is required", error, StringComparison.Ordinal);
        Assert.Contains("  accelerators.models[0]: 'h900-quantum' is not a known accelerator", error, StringComparison.Ordinal);
        Assert.Contains("  deadline: ", error, StringComparison.Ordinal);
        Assert.Contains("is in the past", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public async Task Plan_UnknownInputDataset_NamesTheInput_Exits5()
    {
        var job = Job();
        job["inputs"] = new JsonArray("FR/no-such-data");
        var (exit, _, error) = await FedctlRun.RunAsync(Environment(), "plan", WriteFile("unknown.json", job.ToJsonString()));
        Assert.Equal(ExitCodes.Invalid, exit);
        Assert.Contains("  inputs[0]: dataset FR/no-such-data is not in FR's catalogue", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_MisspelledInputDataset_NamesTheClosestDatasetAndTheFederatedSearch_Exits5()
    {
        var job = Job();
        job["inputs"] = new JsonArray("FR/health-registy");
        var (exit, _, error) = await FedctlRun.RunAsync(Environment(), "plan", WriteFile("misspelled.json", job.ToJsonString()));
        Assert.Equal(ExitCodes.Invalid, exit);
        Assert.Contains("  inputs[0]: dataset FR/health-registy is not in FR's catalogue; closest in FR: FR/health-registry; search every nation with 'fedctl datasets search --federated --text health registy'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_UnknownAccelerator_ListsTheKnownAccelerators_Exits5()
    {
        var job = Job();
        job["accelerators"]!["models"] = new JsonArray("h100");
        var (exit, _, error) = await FedctlRun.RunAsync(Environment(), "plan", WriteFile("accelerator.json", job.ToJsonString()));
        Assert.Equal(ExitCodes.Invalid, exit);
        Assert.Contains("  accelerators.models[0]: 'h100' is not a known accelerator: use one of ", error, StringComparison.Ordinal);
        foreach (var known in new[] { "h100-sxm", "h100-pcie", "a100-80gb-sxm", "l40s" })
        {
            Assert.Contains(known, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Plan_JobThatCanRunNowhere_TableGivesTheReason_Exits0_OrNowhereOnRequest()
    {
        // No node of the embedded nation has sent a heartbeat: it advertises no accelerators.
        var file = WriteFile("nowhere.json", Job().ToJsonString());
        var (exit, output, error) = await FedctlRun.RunAsync(Environment(), "plan", file);
        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {output} {error}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NATION  RANK  VERDICT   ACCELERATOR  KWH  GCO2E  WAIT_H  SCORE  REASON", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^FR +- +excluded +- +- +- +- +- +acceleratorFit: FR advertises no accelerators; the job needs 1 x any accelerator$", lines[1]);
        Assert.StartsWith("no nation can run this job (FR: acceleratorFit)", lines[^1], StringComparison.Ordinal);

        var (strictExit, _, _) = await FedctlRun.RunAsync(Environment(), "plan", file, "--fail-if-nowhere");
        Assert.Equal(ExitCodes.Nowhere, strictExit);

        var (jsonExit, json, _) = await FedctlRun.RunAsync(Environment(), "plan", file, "--json");
        Assert.Equal(ExitCodes.Ok, jsonExit);
        var decision = JsonNode.Parse(json)!;
        Assert.Equal("FR/cli-plan", decision["job"]!.GetValue<string>());
        Assert.Null(decision["chosen"]);
        Assert.Equal("acceleratorFit", decision["candidates"]![0]!["exclusions"]![0]!["rule"]!.GetValue<string>());
    }
}
