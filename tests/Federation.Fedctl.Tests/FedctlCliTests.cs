using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.Fedctl.Tests;

/// <summary>fedctl against a real configured silo: tables, JSON, bulk files, and errors that say what to do.</summary>
public sealed class FedctlCliTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;
    private SiloUnderTest _silo = null!;
    private string _directory = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync(nameof(FedctlCliTests));
        _silo = await SiloUnderTest.StartConfiguredAsync(_database.ConnectionString);
        _directory = Directory.CreateTempSubdirectory("fedctl-tests-").FullName;
    }

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private Dictionary<string, string?> Environment(string? token = SiloUnderTest.AdminToken)
    {
        var environment = FedctlRun.CleanEnvironment();
        environment["FEDCTL_URL"] = _silo.BaseAddress.ToString();
        environment["FEDCTL_TOKEN"] = token;
        return environment;
    }

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Sha(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));

    private static string DatasetsCsv(int count, string prefix) =>
        "id,title,location,sizeBytes,sha256,format,licence,steward,tags,residency,permission,modifiers\n" +
        string.Concat(Enumerable.Range(0, count).Select(i => $"{prefix}-{i:000},Title {i},s3://bucket/{i},{i * 100},{Sha(prefix + i)},parquet,CC-BY-4.0,Office,climate;eu,anywhere,GRU,NCU\n"));

    [Fact]
    public async Task DatasetsRegister_CsvFile_RegistersAll_ListShowsTableAndJson()
    {
        var file = WriteFile("datasets.csv", DatasetsCsv(60, "bulk"));
        var (exit, output, error) = await FedctlRun.RunAsync(Environment(), "datasets", "register", file);
        Assert.True(exit == 0, $"exit {exit}: {output} {error}");
        Assert.Contains("60 datasets", output, StringComparison.Ordinal);
        Assert.Contains("60 registered", output, StringComparison.Ordinal);
        Assert.Contains("registered 60/60 (100%)", error, StringComparison.Ordinal);

        var (listExit, table, _) = await FedctlRun.RunAsync(Environment(), "datasets", "list", "--tag", "eu", "--limit", "5");
        Assert.Equal(0, listExit);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Equal(6, lines.Length);
        Assert.StartsWith("bulk-000", lines[1], StringComparison.Ordinal);

        var (jsonExit, json, _) = await FedctlRun.RunAsync(Environment(), "datasets", "list", "--all", "--limit", "25", "--json");
        Assert.Equal(0, jsonExit);
        Assert.Equal(60, JsonNode.Parse(json)!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task DatasetsRegister_FileWithOneInvalidEntry_NamesLineAndField_StoresNothing()
    {
        var csv = DatasetsCsv(3, "mixed").Replace($"mixed-001,Title 1,s3://bucket/1,100,", "mixed-001,Title 1,s3://bucket/1,-100,", StringComparison.Ordinal);
        var (exit, output, error) = await FedctlRun.RunAsync(Environment(), "datasets", "register", WriteFile("mixed.csv", csv));
        Assert.True(exit == 5, $"exit {exit}: {output} {error}");
        Assert.Contains("nothing was registered", error, StringComparison.Ordinal);
        Assert.Contains("line 3 (mixed-001)", error, StringComparison.Ordinal);
        Assert.Contains("sizeBytes: must be >= 0", error, StringComparison.Ordinal);

        var listed = await _silo.Client.GetAsync("/api/v1/datasets?text=mixed", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Empty(JsonNode.Parse(await listed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["items"]!.AsArray());
    }

    [Fact]
    public async Task DatasetsRegister_MalformedJson_SaysWhereAndExits2()
    {
        var (exit, _, error) = await FedctlRun.RunAsync(Environment(), "datasets", "register", WriteFile("broken.json", "{\n  \"id\": \"x\",\n  \"title\": \n}"));
        Assert.Equal(2, exit);
        Assert.Contains("is not valid JSON: line 4", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_WrongToken_SaysTokenRejected_Exits4_StoresNothing()
    {
        var (exit, _, error) = await FedctlRun.RunAsync(Environment("wrong-token-0123456789"), "datasets", "register", WriteFile("one.csv", DatasetsCsv(1, "denied")));
        Assert.Equal(4, exit);
        Assert.Contains("rejected the token (from FEDCTL_TOKEN)", error, StringComparison.Ordinal);
        Assert.Contains("--token", error, StringComparison.Ordinal);
        var get = await _silo.Client.GetAsync("/api/v1/datasets/denied-000", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task AnyCommand_SiloDown_SaysCannotReach_Exits3()
    {
        var environment = Environment();
        environment["FEDCTL_URL"] = $"http://127.0.0.1:{FreePort()}";
        var (exit, _, error) = await FedctlRun.RunAsync(environment, "nodes", "list");
        Assert.Equal(3, exit);
        Assert.Contains("cannot reach the silo", error, StringComparison.Ordinal);
        Assert.Contains("Is it running?", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_FlagBeatsEnvironmentBeatsConfigFile()
    {
        var environment = FedctlRun.CleanEnvironment();
        var (setExit, _, _) = await FedctlRun.RunAsync(environment, "config", "set", "--url", "http://file.example:1/", "--token", "from-file-token-123456");
        Assert.Equal(0, setExit);
        var (_, fromFile, _) = await FedctlRun.RunAsync(environment, "config", "show");
        Assert.Contains("http://file.example:1/ (from " + environment["FEDCTL_CONFIG"], fromFile, StringComparison.Ordinal);

        environment["FEDCTL_URL"] = "http://env.example:2/";
        var (_, fromEnv, _) = await FedctlRun.RunAsync(environment, "config", "show");
        Assert.Contains("http://env.example:2/ (from FEDCTL_URL)", fromEnv, StringComparison.Ordinal);
        Assert.Contains("token  set (from " + environment["FEDCTL_CONFIG"], fromEnv, StringComparison.Ordinal);

        var (_, fromFlag, _) = await FedctlRun.RunAsync(environment, "config", "show", "--url", "http://flag.example:3/");
        Assert.Contains("http://flag.example:3/ (from --url)", fromFlag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodesAndModels_RegisterShowWithdraw_RoundTrip()
    {
        var node = WriteFile("node.json", """{"id": "gpu-cli-01", "site": "paris", "accelerator": "l40s", "count": 2}""");
        Assert.Equal(0, (await FedctlRun.RunAsync(Environment(), "nodes", "register", node)).Exit);
        var (_, shown, _) = await FedctlRun.RunAsync(Environment(), "nodes", "show", "gpu-cli-01", "-o", "json");
        Assert.Equal("l40s", JsonNode.Parse(shown)!["spec"]!["accelerator"]!.GetValue<string>());

        Assert.Equal(0, (await FedctlRun.RunAsync(Environment(), "datasets", "register", WriteFile("src.csv", DatasetsCsv(1, "source")))).Exit);
        var model = WriteFile("model.json", $$$"""{"name": "cli-model", "version": "1.0", "sha256": "{{{Sha("m")}}}", "format": "onnx", "sizeBytes": 10, "licence": "MIT", "lineage": {"datasets": ["FR/source-000"]}}""");
        Assert.Equal(0, (await FedctlRun.RunAsync(Environment(), "models", "register", model)).Exit);
        var (deleteExit, _, deleteError) = await FedctlRun.RunAsync(Environment(), "datasets", "delete", "source-000");
        Assert.Equal(7, deleteExit);
        Assert.Contains("model:cli-model@1.0", deleteError, StringComparison.Ordinal);
        Assert.Equal(0, (await FedctlRun.RunAsync(Environment(), "models", "withdraw", "cli-model@1.0", "--reason", "superseded")).Exit);
        var (_, modelJson, _) = await FedctlRun.RunAsync(Environment(), "models", "show", "cli-model@1.0", "--json");
        Assert.Equal("withdrawn", JsonNode.Parse(modelJson)!["status"]!.GetValue<string>());
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
