using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.Peering.Tests;

/// <summary>
/// The federation API's OpenAPI document is committed under <c>contracts/</c>; these tests fail when
/// the implementation and the committed document drift.
/// </summary>
public sealed class FederationOpenApiTests
{
    /// <summary>Set to <c>1</c> to rewrite the committed document from the implementation.</summary>
    public const string UpdateVariable = "FEDERATION_UPDATE_OPENAPI";

    private static readonly string[] RelativePath = ["contracts", "Federation.Protocol", "openapi", "federation-v1.json"];

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
        await using var silo = await SiloUnderTest.StartEmbeddedAsync();
        var served = Normalise(await silo.Client.GetStringAsync("/openapi/federation-v1.json", TestContext.Current.CancellationToken));
        var path = Path.Combine([FindRepositoryRoot(), .. RelativePath]);

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, served, TestContext.Current.CancellationToken);
        }

        Assert.True(File.Exists(path), $"{path} does not exist. {HowToUpdate}");
        var committed = Normalise(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        if (committed != served)
        {
            Assert.Fail($"The federation API's OpenAPI document served at /openapi/federation-v1.json differs from {path}: " +
                $"{FirstDifference(committed, served)}. {HowToUpdate}");
        }
    }

    [Fact]
    public async Task Federation_document_holds_only_the_federation_endpoints()
    {
        await using var silo = await SiloUnderTest.StartEmbeddedAsync();
        var document = JsonNode.Parse(await silo.Client.GetStringAsync("/openapi/federation-v1.json", TestContext.Current.CancellationToken))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            "/federation/v1/adverts", "/federation/v1/catalogue/datasets", "/federation/v1/catalogue/datasets/{id}", "/federation/v1/catalogue/datasets/{id}/content",
            "/federation/v1/catalogue/models", "/federation/v1/hello", "/federation/v1/jobs/cancellations", "/federation/v1/jobs/leases", "/federation/v1/jobs/offers", "/federation/v1/jobs/reports",
            "/federation/v1/jobs/{origin}/{id}/{epoch}/logs/{stream}", "/federation/v1/jobs/{origin}/{id}/{epoch}/outputs", "/federation/v1/jobs/{origin}/{id}/{epoch}/outputs/{name}",
        ], paths);
        Assert.Null(document["servers"]);
    }

    [Fact]
    public async Task User_document_holds_no_federation_endpoint()
    {
        await using var silo = await SiloUnderTest.StartEmbeddedAsync();
        var document = JsonNode.Parse(await silo.Client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.NotEmpty(paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/federation", StringComparison.Ordinal));
    }

    private static string HowToUpdate =>
        $"If the change to the federation API is intended, set the environment variable {UpdateVariable}=1 and run " +
        "'dotnet test tests/Federation.Peering.Tests --filter \"FullyQualifiedName~FederationOpenApiTests\"' to rewrite " +
        $"{string.Join('/', RelativePath)}, then review and commit it (a change to the federation API concerns every peer nation).";

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
