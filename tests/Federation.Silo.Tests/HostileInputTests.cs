using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Silo.Api;

namespace Federation.Silo.Tests;

/// <summary>
/// Requests found by adversarial testing of the user API (issue 13), replayed as they were sent:
/// each gets problem+json 400 naming the field, never a 500, and stores nothing.
/// </summary>
/// <remarks>The tests share one silo: each uses names of its own.</remarks>
public sealed class HostileInputTests(DemoWorkloadSilo shared) : IClassFixture<DemoWorkloadSilo>
{
    private HttpClient Client => shared.Silo.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Job(string id) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "alice" },
        ["purpose"] = new JsonObject { ["use"] = "GRU" },
        ["accelerators"] = new JsonObject { ["count"] = 1 },
        ["work"] = new JsonObject { ["acceleratorHours"] = 2, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 600,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
    };

    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("users")]
    [InlineData("institutions")]
    [InlineData("projects")]
    public async Task RegisterDataset_NullInsideDataUseNames_Returns400NamingTheElementAndStoresNothing(string list)
    {
        var body = Payloads.Dataset("null-" + list);
        body["dataUse"] = new JsonObject { ["permission"] = "GRU", ["modifiers"] = new JsonArray(list == "users" ? "US" : list == "projects" ? "PS" : "IS"), [list] = new JsonArray((JsonNode?)null) };

        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(body), Ct), $"dataUse.{list}[0]");
        await Http.ExpectProblemAsync(await Client.GetAsync($"/api/v1/datasets/null-{list}", Ct), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/v1/jobs", "outputs[0]")]
    [InlineData("/api/v1/routes:plan", "outputs[0]")]
    [InlineData("/api/v1/jobs:batch", "jobs[0].outputs[0]")]
    public async Task SubmitJob_NullOutput_Returns400NamingTheElementAndStoresNothing(string path, string field)
    {
        var job = Job("null-output");
        job["outputs"] = new JsonArray((JsonNode?)null);
        JsonNode body = path.EndsWith("batch", StringComparison.Ordinal) ? new JsonObject { ["jobs"] = new JsonArray(job) } : job;

        await Http.ExpectInvalidFieldAsync(await Client.PostAsync(path, Payloads.Json(body), Ct), field);
        await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/jobs/null-output", Ct), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("title", "\u0000")]
    [InlineData("title", "\u001b[31mred")]
    [InlineData("description", "bell\u0007")]
    [InlineData("steward", "c1\u009b")]
    [InlineData("tags[0]", "nul\u0000")]
    [InlineData("dataUse.users[0]", "mallory\u0000")]
    [InlineData("dataUse.institutions[0]", "\u001b]0;pwned\u0007")]
    public async Task RegisterDataset_ControlCharacterInText_Returns400NamingTheFieldAndStoresNothing(string field, string text)
    {
        var body = Payloads.Dataset("ctl-" + Math.Abs(field.GetHashCode(StringComparison.Ordinal) % 1000));
        body["dataUse"] = new JsonObject
        {
            ["permission"] = "GRU", ["modifiers"] = new JsonArray("IS", "US"),
            ["users"] = new JsonArray("alice"), ["institutions"] = new JsonArray("Lab"),
        };
        Set(body, field, text);

        var problem = await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(body), Ct), field);
        Assert.Contains("control characters", problem["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await Http.ExpectProblemAsync(await Client.GetAsync($"/api/v1/datasets/{body["id"]}", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RegisterModel_ControlCharacterInMetricKey_Returns400NamingTheKeyAndStoresNothing()
    {
        var body = Payloads.Model("ctl-model", "1.0");
        body["metrics"] = new JsonObject { ["acc\u001b[2J"] = 0.5 };

        var problem = await Http.ExpectProblemAsync(await Client.PostAsync("/api/v1/models", Payloads.Json(body), Ct), HttpStatusCode.BadRequest);
        var field = Assert.Single(problem["errors"]!.AsObject()).Key;
        Assert.Equal("metrics.acc\\u001B[2J", field);
        Assert.DoesNotContain('\u001b', problem.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/models/ctl-model/1.0", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RegisterDataset_NumberSentAsString_Returns400NamingTheField()
    {
        var body = Payloads.Dataset("string-number");
        body["sizeBytes"] = "1024";

        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(body), Ct), "sizeBytes");
        await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/datasets/string-number", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RegisterDataset_OversizedStringOrArray_Returns400NamingTheField()
    {
        var longText = Payloads.Dataset("long-text");
        longText["schemaSummary"] = new string('x', JsonShape.MaxStringLength + 1);
        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(longText), Ct), "schemaSummary");

        var longArray = Payloads.Dataset("long-array");
        longArray["tags"] = new JsonArray([.. Enumerable.Range(0, JsonShape.MaxArrayLength + 1).Select(i => (JsonNode?)JsonValue.Create(i))]);
        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(longArray), Ct), "tags");
    }

    [Fact]
    public async Task RegisterDataset_UnpairedSurrogateEscape_Returns400()
    {
        var json = Payloads.Dataset("surrogate").ToJsonString().Replace("\"A dataset\"", "\"\\ud800x\"", StringComparison.Ordinal);

        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/datasets", Raw(json), Ct), "title");
    }

    private async Task<HttpResponseMessage> PutNationAsync(JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/nation") { Content = Payloads.Json(body) };
        request.Headers.IfMatch.Add(System.Net.Http.Headers.EntityTagHeaderValue.Any);
        return await Client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task PutNation_HttpFederationEndpoint_Returns400_AndAnEmptyStringClearsAnEndpoint()
    {
        await Http.ExpectInvalidFieldAsync(await PutNationAsync(new JsonObject { ["federationEndpoint"] = "http://fr.example:7443" }), "federationEndpoint");

        await Http.ExpectAsync(await PutNationAsync(new JsonObject { ["federationEndpoint"] = "https://fr.example:7443", ["apiEndpoint"] = "https://api.fr.example" }), HttpStatusCode.OK);
        var set = await Http.ExpectAsync(await Client.GetAsync("/api/v1/nation", Ct), HttpStatusCode.OK);
        Assert.Equal("https://fr.example:7443", set["federationEndpoint"]?.GetValue<string>());

        await Http.ExpectAsync(await PutNationAsync(new JsonObject { ["federationEndpoint"] = "" }), HttpStatusCode.OK);
        var cleared = await Http.ExpectAsync(await Client.GetAsync("/api/v1/nation", Ct), HttpStatusCode.OK);
        Assert.Null(cleared["federationEndpoint"]);
        Assert.Equal("https://api.fr.example", cleared["apiEndpoint"]?.GetValue<string>());
    }

    private static void Set(JsonObject body, string field, string text)
    {
        var parts = field.Split('.');
        JsonNode node = body;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            node = node[parts[i]]!;
        }

        var last = parts[^1];
        var bracket = last.IndexOf('[', StringComparison.Ordinal);
        if (bracket < 0)
        {
            node[last] = text;
        }
        else
        {
            node[last[..bracket]]![int.Parse(last[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)] = text;
        }
    }
}
