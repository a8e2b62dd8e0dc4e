using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// The federation API's OpenAPI document is committed under <c>contracts/</c>; these tests fail when
/// the implementation and the committed document drift. They read the documents of one shared silo.
/// </summary>
public sealed class FederationOpenApiTests(OpenApiSilo shared) : IClassFixture<OpenApiSilo>
{
    /// <summary>Set to <c>1</c> to rewrite the committed document from the implementation.</summary>
    public const string UpdateVariable = "FEDERATION_UPDATE_OPENAPI";

    private static readonly string[] RelativePath = ["contracts", "Federation.Protocol", "openapi", "federation-v1.json"];

    private static readonly string[] UserRelativePath = ["contracts", "Federation.Contracts", "openapi", "user-v1.json"];

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [Fact]
    public async Task Committed_federation_document_matches_the_implementation()
    {
        await AssertCommittedMatchesAsync("/openapi/federation-v1.json", RelativePath, "the federation API (a change concerns every peer nation)");
    }

    [Fact]
    public async Task Committed_user_document_matches_the_implementation()
    {
        await AssertCommittedMatchesAsync("/openapi/v1.json", UserRelativePath, "the user API (a change concerns every client generated from it)");
    }

    [Fact]
    public async Task Federation_document_holds_only_the_federation_endpoints()
    {
        var silo = shared.Silo;
        var document = JsonNode.Parse(await silo.Client.GetStringAsync("/openapi/federation-v1.json", TestContext.Current.CancellationToken))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            "/federation/v1/adverts", "/federation/v1/catalogue/datasets", "/federation/v1/catalogue/datasets/{id}", "/federation/v1/catalogue/datasets/{id}/content",
            "/federation/v1/catalogue/models", "/federation/v1/hello", "/federation/v1/jobs/batches", "/federation/v1/jobs/cancellations", "/federation/v1/jobs/leases", "/federation/v1/jobs/offers", "/federation/v1/jobs/reports",
            "/federation/v1/jobs/{origin}/{id}/{epoch}/logs/{stream}", "/federation/v1/jobs/{origin}/{id}/{epoch}/outputs", "/federation/v1/jobs/{origin}/{id}/{epoch}/outputs/{name}",
            "/federation/v1/models/{name}/versions/{version}", "/federation/v1/models/{name}/versions/{version}/artifact", "/federation/v1/models/{name}/versions/{version}/evaluations",
            "/federation/v1/roster", "/federation/v1/roster/versions", "/federation/v1/roster/versions/{version}", "/federation/v1/rounds/messages", "/federation/v1/shares/usage-reports",
            "/federation/v1/transparency/head", "/federation/v1/transparency/proofs/consistency", "/federation/v1/transparency/proofs/inclusion",
        ], paths);
        Assert.Null(document["servers"]);
    }

    [Fact]
    public async Task User_document_holds_no_federation_endpoint()
    {
        var silo = shared.Silo;
        var document = JsonNode.Parse(await silo.Client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.NotEmpty(paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/federation", StringComparison.Ordinal));
        Assert.All(paths, p => Assert.StartsWith("/api/v1/", p, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/openapi/v1.json", "bearer", "JobRecord", "ref", "^[A-Z]{2}/")]
    [InlineData("/openapi/federation-v1.json", "mutualTLS", "Admission", "nation", "^[A-Z]{2}$")]
    public async Task Document_every_operation_is_described_for_generated_clients(string servedAt, string scheme, string schema, string typedId, string patternStart)
    {
        var silo = shared.Silo;
        var document = JsonNode.Parse(await silo.Client.GetStringAsync(servedAt, TestContext.Current.CancellationToken))!;
        Assert.NotNull(document["components"]?["securitySchemes"]?[scheme]);

        // Typed ids are patterned strings where they are used, never objects of their own.
        var schemas = document["components"]!["schemas"]!.AsObject();
        var id = schemas[schema]?["properties"]?[typedId];
        Assert.Equal("string", id?["type"]?.GetValue<string>());
        Assert.StartsWith(patternStart, id?["pattern"]?.GetValue<string>() ?? "(no pattern)", StringComparison.Ordinal);
        Assert.DoesNotContain(schemas, s => s.Key is "NationCode" or "JobRef" or "DatasetRef" or "AcceleratorSlug");

        var faults = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var name = $"{method.ToUpperInvariant()} {path}";
                if (operation!["operationId"] is null || operation["summary"] is null)
                {
                    faults.Add($"{name}: no operationId or summary");
                }

                var secured = operation["security"] is not null || document["security"] is not null;
                if (!secured)
                {
                    faults.Add($"{name}: no security requirement");
                }

                foreach (var (status, response) in operation["responses"]!.AsObject())
                {
                    var content = response!["content"]?.AsObject();
                    if (status.StartsWith('2') && status != "204" && (content is null || content.Any(c => c.Value?["schema"] is null)))
                    {
                        faults.Add($"{name}: {status} has no schema");
                    }

                    if (status[0] is '4' or '5' && content?["application/problem+json"]?["schema"] is null)
                    {
                        faults.Add($"{name}: {status} is not problem+json");
                    }
                }

                if (!operation["responses"]!.AsObject().Any(r => r.Key[0] == '4'))
                {
                    faults.Add($"{name}: no 4xx answer");
                }

                var declared = operation["parameters"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToHashSet() ?? [];
                foreach (var parameter in Regex.Matches(path, "{([^}]+)}").Select(m => m.Groups[1].Value))
                {
                    if (!declared.Contains(parameter))
                    {
                        faults.Add($"{name}: path parameter {parameter} not declared");
                    }
                }
            }
        }

        Assert.True(faults.Count == 0, $"{servedAt}: " + string.Join("; ", faults));
    }

    [Fact]
    public async Task User_document_list_operations_describe_their_query_parameters()
    {
        var silo = shared.Silo;
        var document = JsonNode.Parse(await silo.Client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!;
        var listJobs = document["paths"]!["/api/v1/jobs"]!["get"]!;
        var parameters = listJobs["parameters"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!);
        Assert.Equal(["after", "limit", "nation", "owner", "state"], parameters.Keys.Order(StringComparer.Ordinal));
        Assert.All(parameters.Values, p => Assert.Equal("query", p["in"]!.GetValue<string>()));
        Assert.Equal(500, parameters["limit"]["schema"]!["maximum"]!.GetValue<int>());
        Assert.Contains("running", parameters["state"]["schema"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("#/components/schemas/JobPage", listJobs["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(document["paths"]!["/api/v1/datasets"]!["get"]!["parameters"]!.AsArray().SingleOrDefault(p => p!["name"]!.GetValue<string>() == "includeWithdrawn"));
    }

    private async Task AssertCommittedMatchesAsync(string servedAt, string[] relativePath, string what)
    {
        var silo = shared.Silo;
        var served = Normalise(await silo.Client.GetStringAsync(servedAt, TestContext.Current.CancellationToken));
        var path = Path.Combine([FindRepositoryRoot(), .. relativePath]);

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, served, TestContext.Current.CancellationToken);
        }

        var howToUpdate = HowToUpdate(relativePath, what);
        Assert.True(File.Exists(path), $"{path} does not exist. {howToUpdate}");
        var committed = Normalise(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        if (committed != served)
        {
            Assert.Fail($"The OpenAPI document served at {servedAt} differs from {path}: {FirstDifference(committed, served)}. {howToUpdate}");
        }
    }

    private static string HowToUpdate(string[] relativePath, string what) =>
        $"If the change to {what} is intended, set the environment variable {UpdateVariable}=1 and run " +
        "'dotnet test tests/Federation.EndToEnd.Tests --filter \"FullyQualifiedName~FederationOpenApiTests\"' to rewrite " +
        $"{string.Join('/', relativePath)}, then review and commit it.";

    /// <summary>Parsed and re-serialised: key order as generated, 2-space indent, LF, trailing newline.</summary>
    private static string Normalise(string json) =>
        JsonNode.Parse(json)!.ToJsonString(Indented) + "\n";

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "(end of document)";
            var a = i < actualLines.Length ? actualLines[i] : "(end of document)";
            if (e != a)
            {
                return $"first difference at line {i + 1}: committed '{e.Trim()}', served '{a.Trim()}'";
            }
        }

        return "they differ";
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Federation.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Federation.sln above {AppContext.BaseDirectory}.");
    }
}
