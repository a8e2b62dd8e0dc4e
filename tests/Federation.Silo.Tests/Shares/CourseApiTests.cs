using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Federation.Silo.Tests.Shares;

/// <summary>
/// <c>/api/v1/courses</c> on one embedded nation whose configuration registers ml-101 (<see cref="StudentTierSilo"/>):
/// a course registered through the API admits student jobs that name it, until it is removed; configured courses
/// stay; bad input is a 400 naming the field and stores nothing.
/// </summary>
public sealed class CourseApiTests(StudentTierSilo fixture) : IClassFixture<StudentTierSilo>
{
    private HttpClient Client => fixture.Silo.Client;

    private static JsonObject StudentJob(string id, string course) => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = "alice" },
        ["purpose"] = new JsonObject { ["use"] = "GRU" },
        ["accelerators"] = new JsonObject { ["count"] = 1 },
        ["work"] = new JsonObject { ["acceleratorHours"] = 1, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 30,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0" },
        ["tier"] = "student",
        ["course"] = course,
    };

    private async Task<JsonArray> ListAsync() => (await Client.GetFromJsonAsync<JsonArray>("/api/v1/courses", TestContext.Current.CancellationToken))!;

    [Fact]
    public async Task RegisteredCourse_AdmitsStudentJobs_UntilRemoved()
    {
        var ct = TestContext.Current.CancellationToken;
        var course = new JsonObject { ["id"] = "nlp-201", ["supervisor"] = "uni:ada", ["title"] = "Language models" };

        var created = await Client.PostAsync("/api/v1/courses", Payloads.Json(course), ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var record = (await created.Content.ReadFromJsonAsync<JsonObject>(ct))!;
        Assert.Equal("api", record["source"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/api/v1/courses", Payloads.Json(course), ct)).StatusCode);
        var other = await Client.PostAsync("/api/v1/courses", Payloads.Json(new JsonObject { ["id"] = "nlp-201", ["supervisor"] = "uni:bob" }), ct);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("id", (await other.Content.ReadFromJsonAsync<JsonObject>(ct))!["field"]!.GetValue<string>());

        var list = await ListAsync();
        Assert.Equal("configuration", list.Single(c => c!["id"]!.GetValue<string>() == "ml-101")!["source"]!.GetValue<string>());
        Assert.Equal("uni:ada", list.Single(c => c!["id"]!.GetValue<string>() == "nlp-201")!["supervisor"]!.GetValue<string>());
        var shares = (await Client.GetFromJsonAsync<JsonObject>("/api/v1/shares", ct))!;
        Assert.Contains("nlp-201", (shares["students"]!["courses"] as JsonArray)!.Select(c => c!.GetValue<string>()));

        await Http.ExpectAsync(await Client.PostAsync("/api/v1/jobs", Payloads.Json(StudentJob("nlp-lab-1", "nlp-201")), ct), HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/v1/courses/nlp-201", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync("/api/v1/courses/nlp-201", ct)).StatusCode);
        var refused = await Client.PostAsync("/api/v1/jobs", Payloads.Json(StudentJob("nlp-lab-2", "nlp-201")), ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("student-course", (await refused.Content.ReadFromJsonAsync<JsonObject>(ct))!["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConfiguredCourse_CannotBeReplacedOrRemovedThroughTheApi()
    {
        var ct = TestContext.Current.CancellationToken;

        var replaced = await Client.PostAsync("/api/v1/courses", Payloads.Json(new JsonObject { ["id"] = "ml-101", ["supervisor"] = "uni:eve" }), ct);
        var removed = await Client.DeleteAsync("/api/v1/courses/ml-101", ct);

        Assert.Equal(HttpStatusCode.Conflict, replaced.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, removed.StatusCode);
        Assert.Contains("Federation:Shares:Courses:ml-101", (await removed.Content.ReadFromJsonAsync<JsonObject>(ct))!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("uni:prof", (await ListAsync()).Single(c => c!["id"]!.GetValue<string>() == "ml-101")!["supervisor"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"id":"Bad_Id","supervisor":"uni:ada"}""", "id")]
    [InlineData("""{"supervisor":"uni:ada"}""", "id")]
    [InlineData("""{"id":"bad-1"}""", "supervisor")]
    [InlineData("""{"id":"bad-2","supervisor":"no-issuer"}""", "supervisor")]
    [InlineData("""{"id":"bad-3","supervisor":"uni:ada","title":"a\u0000b"}""", "title")]
    public async Task BadCourse_IsA400NamingTheField_AndStoresNothing(string body, string field)
    {
        var ct = TestContext.Current.CancellationToken;

        var response = await Client.PostAsync("/api/v1/courses", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!;
        Assert.NotNull(problem["errors"]![field]);
        Assert.DoesNotContain(await ListAsync(), c => c!["id"]!.GetValue<string>().StartsWith("bad", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RemoveWithABadId_IsA400NamingTheId()
    {
        var response = await Client.DeleteAsync("/api/v1/courses/Not_A_Slug", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["errors"]!["id"]);
    }
}
