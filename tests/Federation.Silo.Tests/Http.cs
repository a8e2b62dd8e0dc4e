using System.Net;
using System.Text.Json.Nodes;

namespace Federation.Silo.Tests;

/// <summary>Assertions on HTTP answers that print the body when they fail.</summary>
public static class Http
{
    public static async Task<JsonNode> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"expected {(int)status} {status} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}, got {(int)response.StatusCode}: {body}");
        var isJson = response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true;
        return body.Length == 0 || !isJson ? new JsonObject() : JsonNode.Parse(body)!;
    }

    /// <summary>Expects a problem+json answer with <paramref name="status"/>; returns the problem.</summary>
    public static async Task<JsonNode> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await ExpectAsync(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        return problem;
    }

    /// <summary>Expects a 400 problem whose errors name <paramref name="field"/>.</summary>
    public static async Task<JsonNode> ExpectInvalidFieldAsync(HttpResponseMessage response, string field)
    {
        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]?.AsObject();
        Assert.True(errors is not null && errors.ContainsKey(field), $"expected the problem to name field '{field}', got: {problem.ToJsonString()}");
        return problem;
    }
}
