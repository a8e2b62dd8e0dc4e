using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Federation.Fedctl.Tests;

/// <summary>
/// <c>-o table|wide|json</c> on every list and show command, the detail views of <c>show</c>, one
/// timestamp format everywhere, usage errors (exit 2), and <c>--url</c> with or without <c>/api/v1</c>.
/// </summary>
public sealed partial class OutputFormatCliTests(JobCliSilo fixture) : IClassFixture<JobCliSilo>, IAsyncLifetime
{
    private const string ModelRef = "fmt-model@1.0";
    private const string JobId = "fmt-job";

    [GeneratedRegex(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ")]
    private static partial Regex OneTimestamp();

    // ISO 8601 as the API writes it (a T between date and time): must never reach a table or a view.
    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d")]
    private static partial Regex RawTimestamp();

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var model = fixture.WriteJob("fmt-model.json", new JsonObject
        {
            ["name"] = "fmt-model",
            ["version"] = "1.0",
            ["sha256"] = new string('a', 64),
            ["format"] = "onnx",
            ["sizeBytes"] = 10,
            ["licence"] = "MIT",
            ["lineage"] = new JsonObject { ["datasets"] = new JsonArray($"FR/{JobCliSilo.DatasetId}") },
        });
        var registered = await RunAsync("models", "register", model);
        Assert.True(registered.Exit == 0, $"models register: {registered.Output} {registered.Error}");
        using var response = await fixture.Silo.Client.PostAsJsonAsync("/api/v1/jobs", JobCliSilo.Job(JobId), ct);
        Assert.True(response.IsSuccessStatusCode, $"submit {JobId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) => FedctlRun.RunAsync(fixture.Environment(), args);

    public static TheoryData<string> ListAndShowCommands() =>
    [
        "datasets list", $"datasets show {JobCliSilo.DatasetId}", "datasets search --text health",
        "nodes list", $"nodes show {JobCliSilo.NodeId}",
        "models list", $"models show {ModelRef}", "models search",
        "jobs list", $"jobs show {JobId}", $"jobs explain {JobId}",
        "peers", "config show",
    ];

    [Theory]
    [MemberData(nameof(ListAndShowCommands))]
    public async Task ListAndShowCommand_OutputJson_PrintsJsonThatParses(string command)
    {
        foreach (var flags in new[] { new[] { "-o", "json" }, ["--output", "json"], ["--json"] })
        {
            var (exit, output, error) = await RunAsync([.. command.Split(' '), .. flags]);
            Assert.True(exit == 0, $"fedctl {command} {string.Join(' ', flags)}: exit {exit}: {output} {error}");
            var json = JsonNode.Parse(output);
            Assert.True(json is JsonObject or JsonArray, $"fedctl {command} {string.Join(' ', flags)} printed {output}");
        }
    }

    [Theory]
    [MemberData(nameof(ListAndShowCommands))]
    public async Task ListAndShowCommand_Table_IsNotJson_AndWritesTimesInOneFormat(string command)
    {
        var (exit, output, error) = await RunAsync(command.Split(' '));
        Assert.True(exit == 0, $"fedctl {command}: exit {exit}: {output} {error}");
        Assert.False(output.TrimStart().StartsWith('{') || output.TrimStart().StartsWith('['), $"fedctl {command} printed JSON without -o json: {output}");
        Assert.DoesNotMatch(RawTimestamp(), output);
    }

    [Fact]
    public async Task DatasetsShow_WithoutJson_PrintsKeyValueLinesAndSections()
    {
        var (exit, output, error) = await RunAsync("datasets", "show", JobCliSilo.DatasetId);
        Assert.True(exit == 0, $"exit {exit}: {output} {error}");
        Assert.Matches($@"(?m)^id: +{JobCliSilo.DatasetId}$", output);
        Assert.Matches(@"(?m)^title: +Health records$", output);
        Assert.Matches(@"(?m)^size bytes: +1024$", output);
        Assert.Matches(@"(?m)^tags: +health, test$", output);
        Assert.Matches(@"(?m)^created at: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", output);
        Assert.Matches(@"(?m)^residency:\r?\n  kind: +homeOnly$", output);
        Assert.Matches(@"(?m)^data use:\r?\n  permission: +HMB$", output);
    }

    [Fact]
    public async Task NodesShowAndList_TimesInTheOneFormat_NodeShowHasSections()
    {
        var (exit, output, error) = await RunAsync("nodes", "show", JobCliSilo.NodeId);
        Assert.True(exit == 0, $"exit {exit}: {output} {error}");
        Assert.Matches($@"(?m)^id: +{JobCliSilo.NodeId}$", output);
        Assert.Matches(@"(?m)^last heartbeat: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", output);

        var (listExit, list, _) = await RunAsync("nodes", "list");
        Assert.Equal(0, listExit);
        var row = list.Split('\n').Single(l => l.StartsWith(JobCliSilo.NodeId, StringComparison.Ordinal));
        Assert.Matches(OneTimestamp(), row);
    }

    [Theory]
    [InlineData("datasets list", "ID", "SHA256")]
    [InlineData("nodes list", "ID", "LEASE UNTIL")]
    [InlineData("models list", "MODEL", "PRODUCING JOB")]
    [InlineData("jobs list", "ID", "WORKLOAD")]
    [InlineData("peers", "NATION", "WORKLOADS")]
    public async Task List_OutputWide_AddsColumnsToTheTable(string command, string first, string wideOnly)
    {
        var (exit, table, error) = await RunAsync(command.Split(' '));
        Assert.True(exit == 0, $"exit {exit}: {table} {error}");
        var (wideExit, wide, wideError) = await RunAsync([.. command.Split(' '), "-o", "wide"]);
        Assert.True(wideExit == 0, $"exit {wideExit}: {wide} {wideError}");
        var tableHeader = table.Split('\n')[0];
        var wideHeader = wide.Split('\n')[0];
        Assert.StartsWith(first, tableHeader, StringComparison.Ordinal);
        Assert.StartsWith(first, wideHeader, StringComparison.Ordinal);
        Assert.DoesNotContain(wideOnly, tableHeader, StringComparison.Ordinal);
        Assert.Contains(wideOnly, wideHeader, StringComparison.Ordinal);
        Assert.True(Columns(wideHeader) > Columns(tableHeader), $"table: {tableHeader}{System.Environment.NewLine}wide: {wideHeader}");
    }

    [Theory]
    [InlineData("jobs list --no-such-flag", "Unrecognized command or argument '--no-such-flag'")]
    [InlineData("jobs show", "Required argument missing")]
    [InlineData("nodes list -o yaml", "-o/--output takes table, wide or json, not 'yaml'")]
    [InlineData("nodes list --json -o wide", "--json and -o wide contradict each other")]
    [InlineData("jobs", "Required command was not provided")]
    [InlineData("completion fish", "fish")]
    [InlineData("jobs list --limit many", "many")]
    public async Task UsageError_Exits2_SayingWhatIsWrong(string command, string expected)
    {
        var (exit, output, error) = await RunAsync(command.Split(' '));
        Assert.True(exit == ExitCodes.Usage, $"fedctl {command}: exit {exit}, expected {ExitCodes.Usage}: {output} {error}");
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("api/v1")]
    [InlineData("api/v1/")]
    public async Task Url_BaseOrApiV1_BothReachTheNation(string suffix)
    {
        var environment = fixture.Environment();
        environment["FEDCTL_URL"] = fixture.Silo.BaseAddress.ToString().TrimEnd('/') + (suffix.Length == 0 ? "" : "/" + suffix.TrimStart('/'));
        var (exit, output, error) = await FedctlRun.RunAsync(environment, "nodes", "show", JobCliSilo.NodeId, "-o", "json");
        Assert.True(exit == 0, $"FEDCTL_URL={environment["FEDCTL_URL"]}: exit {exit}: {output} {error}");
        Assert.Equal(JobCliSilo.NodeId, JsonNode.Parse(output)!["spec"]!["id"]!.GetValue<string>());
    }

    private static int Columns(string header) => Regex.Split(header.Trim(), "  +").Length;

    [Fact]
    public void Timestamp_AnyOffsetOrJsonText_FormatsUtcToTheSecond()
    {
        var at = DateTimeOffset.Parse("2026-12-04T20:06:18.734+01:00", CultureInfo.InvariantCulture);
        Assert.Equal("2026-12-04 19:06:18Z", Output.Timestamp.Format(at));
        Assert.Equal("2026-12-04 19:06:18Z", Output.Timestamp.Format(JsonValue.Create("2026-12-04T19:06:18.734Z")));
        Assert.Equal("-", Output.Timestamp.Format(JsonValue.Create("1.0")));
    }
}
