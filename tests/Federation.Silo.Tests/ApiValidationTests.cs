using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Federation.Silo.Tests;

/// <summary>Bad input gets problem+json naming the field and rule, and stores nothing (embedded silo).</summary>
/// <remarks>The tests share one silo: each uses names of its own.</remarks>
public sealed class ApiValidationTests(SharedSilo shared) : IClassFixture<SharedSilo>
{
    private HttpClient Client => shared.Silo.Client;

    [Theory]
    [InlineData("id", "Bad_Id!")]
    [InlineData("homeNation", "DE")]
    [InlineData("homeNation", "XX")]
    [InlineData("sizeBytes", -5)]
    [InlineData("sha256", "abc123")]
    [InlineData("licence", "MIT OR")]
    [InlineData("location", "not a uri")]
    public async Task RegisterDataset_InvalidField_Returns400NamingFieldAndStoresNothing(string field, object value)
    {
        var body = Payloads.Dataset("ds-invalid-" + field.ToLowerInvariant());
        body[field] = value is int i ? JsonValue.Create(i) : JsonValue.Create((string)value);
        var problem = await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(body), TestContext.Current.CancellationToken), field);
        Assert.Contains(field, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await Http.ExpectProblemAsync(await Client.GetAsync($"/api/v1/datasets/ds-invalid-{field.ToLowerInvariant()}", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RegisterDataset_UnknownDuoCodes_Returns400NamingEachCode()
    {
        var body = Payloads.Dataset("duo-bad");
        body["dataUse"] = new JsonObject { ["permission"] = "XYZ", ["modifiers"] = new JsonArray("IRB", "NOPE") };
        var problem = await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(body), TestContext.Current.CancellationToken), "dataUse.permission");
        Assert.True(problem["errors"]!.AsObject().ContainsKey("dataUse.modifiers[1]"), problem.ToJsonString());
        Assert.Contains("NOPE", problem["errors"]!["dataUse.modifiers[1]"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterNode_UnknownAccelerator_Returns400ListingKnownSlugs()
    {
        var body = Payloads.Node("gpu-x");
        body["accelerator"] = "h900-quantum";
        var problem = await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/nodes", Payloads.Json(body), TestContext.Current.CancellationToken), "accelerator");
        Assert.Contains("h100-sxm", problem["errors"]!["accelerator"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterDataset_WrongTypeOrUnknownMember_Returns400NamingPath()
    {
        var wrongType = Payloads.Dataset("typed");
        wrongType["sizeBytes"] = "lots";
        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(wrongType), TestContext.Current.CancellationToken), "sizeBytes");
        var unknown = Payloads.Dataset("typo");
        unknown["sizeBites"] = 3;
        await Http.ExpectInvalidFieldAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(unknown), TestContext.Current.CancellationToken), "sizeBites");
    }

    [Fact]
    public async Task RegisterDataset_WrongContentType_Returns415()
    {
        var content = new StringContent(Payloads.Dataset("plain").ToJsonString(), Encoding.UTF8, "text/plain");
        await Http.ExpectProblemAsync(await Client.PostAsync("/api/v1/datasets", content, TestContext.Current.CancellationToken), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task RegisterDataset_BodyTooLarge_Returns413()
    {
        var body = Payloads.Dataset("huge");
        body["description"] = new string('x', 2 * 1024 * 1024);
        await Http.ExpectProblemAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(body), TestContext.Current.CancellationToken), HttpStatusCode.RequestEntityTooLarge);
        await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/datasets/huge", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UnknownResources_Return404Problems()
    {
        await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/datasets/never-registered", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
        await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/nodes/never-registered", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
        await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/models/nothing/versions/1.0", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
        await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/no-such-collection", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UpdateDataset_WithoutIfMatch_Returns428_AndStaleIfMatch_Returns412()
    {
        var ct = TestContext.Current.CancellationToken;
        var created = await Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("versioned")), ct);
        await Http.ExpectAsync(created, HttpStatusCode.Created);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);

        var update = Payloads.Dataset("versioned", "New title");
        await Http.ExpectProblemAsync(await Client.PutAsync("/api/v1/datasets/versioned", Payloads.Json(update), ct), (HttpStatusCode)428);

        using var good = new HttpRequestMessage(HttpMethod.Put, "/api/v1/datasets/versioned") { Content = Payloads.Json(update) };
        good.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var updated = await Http.ExpectAsync(await Client.SendAsync(good, ct), HttpStatusCode.OK);
        Assert.Equal(2, updated["version"]!.GetValue<int>());
        Assert.Equal("New title", updated["spec"]!["title"]!.GetValue<string>());

        using var stale = new HttpRequestMessage(HttpMethod.Put, "/api/v1/datasets/versioned") { Content = Payloads.Json(Payloads.Dataset("versioned", "Stale")) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var problem = await Http.ExpectProblemAsync(await Client.SendAsync(stale, ct), HttpStatusCode.PreconditionFailed);
        Assert.Equal(2, problem["currentVersion"]!.GetValue<int>());
        var current = await Http.ExpectAsync(await Client.GetAsync("/api/v1/datasets/versioned", ct), HttpStatusCode.OK);
        Assert.Equal("New title", current["spec"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task RegisterDataset_SameSpecTwice_IsIdempotent_DifferentSpec_Returns409()
    {
        var ct = TestContext.Current.CancellationToken;
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("twice")), ct), HttpStatusCode.Created);
        var again = await Http.ExpectAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("twice")), ct), HttpStatusCode.OK);
        Assert.Equal(1, again["version"]!.GetValue<int>());
        await Http.ExpectProblemAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("twice", "Other title")), ct), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task DeleteDataset_ReferencedByModel_Returns409_WithdrawKeepsItResolvable()
    {
        var ct = TestContext.Current.CancellationToken;
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset("lineage-source")), ct), HttpStatusCode.Created);
        await Http.ExpectAsync(await Client.PostAsync("/api/v1/models", Payloads.Json(Payloads.Model("derived", "1.0", "FR/lineage-source")), ct), HttpStatusCode.Created);

        var problem = await Http.ExpectProblemAsync(await Client.DeleteAsync("/api/v1/datasets/lineage-source", ct), HttpStatusCode.Conflict);
        Assert.Contains("model:derived@1.0", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        await Http.ExpectAsync(await Client.PostAsync("/api/v1/datasets/lineage-source:withdraw", Payloads.Json(new JsonObject { ["reason"] = "superseded" }), ct), HttpStatusCode.OK);
        var withdrawn = await Http.ExpectAsync(await Client.GetAsync("/api/v1/datasets/lineage-source", ct), HttpStatusCode.OK);
        Assert.Equal("withdrawn", withdrawn["status"]!.GetValue<string>());

        var listed = await Http.ExpectAsync(await Client.GetAsync("/api/v1/datasets?text=lineage-source", ct), HttpStatusCode.OK);
        Assert.Empty(listed["items"]!.AsArray());
        var withWithdrawn = await Http.ExpectAsync(await Client.GetAsync("/api/v1/datasets?text=lineage-source&includeWithdrawn=true", ct), HttpStatusCode.OK);
        Assert.Single(withWithdrawn["items"]!.AsArray());
    }

    [Fact]
    public async Task RegisterModel_UnknownLineageDataset_Returns400NamingLineage()
    {
        var problem = await Http.ExpectInvalidFieldAsync(
            await Client.PostAsync("/api/v1/models", Payloads.Json(Payloads.Model("orphan", "1.0", "FR/does-not-exist")), TestContext.Current.CancellationToken),
            "lineage.datasets[0]");
        Assert.Contains("FR/does-not-exist", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await Http.ExpectProblemAsync(await Client.GetAsync("/api/v1/models/orphan/versions/1.0", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListDatasets_KeysetPaging_VisitsEveryEntryOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 7; i++)
        {
            await Http.ExpectAsync(await Client.PostAsync("/api/v1/datasets", Payloads.Json(Payloads.Dataset($"page-{i:00}")), ct), HttpStatusCode.Created);
        }

        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await Http.ExpectAsync(await Client.GetAsync($"/api/v1/datasets?text=page-&limit=3{(after is null ? "" : "&after=" + after)}", ct), HttpStatusCode.OK);
            seen.AddRange(page["items"]!.AsArray().Select(d => d!["spec"]!["id"]!.GetValue<string>()));
            after = page["nextAfter"]?.GetValue<string>();
        }
        while (after is not null);

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"page-{i:00}"), seen);
        await Http.ExpectInvalidFieldAsync(await Client.GetAsync("/api/v1/datasets?limit=0", ct), "limit");
    }

    [Fact]
    public async Task EmbeddedSilo_ServesHealthOpenApiAndDashboard()
    {
        var ct = TestContext.Current.CancellationToken;
        await Http.ExpectAsync(await Client.GetAsync("/health/live", ct), HttpStatusCode.OK);
        await Http.ExpectAsync(await Client.GetAsync("/health/ready", ct), HttpStatusCode.OK);
        var openApi = await Http.ExpectAsync(await Client.GetAsync("/openapi/v1.json", ct), HttpStatusCode.OK);
        Assert.NotNull(openApi["paths"]!["/api/v1/datasets"]);
        var dashboard = await Client.GetAsync("/dashboard/", ct);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("html", dashboard.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
    }
}
