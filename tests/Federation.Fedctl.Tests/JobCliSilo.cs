using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Testing;

namespace Federation.Fedctl.Tests;

/// <summary>
/// One embedded nation (FR, no peers) for the <c>fedctl jobs</c> tests: it offers demo-train@1.0,
/// runs a simulated job 2 s per estimated hour, has a node of 4 x h100-sxm that is up, and a
/// home-only HMB+IRB dataset.
/// </summary>
public sealed class JobCliSilo : IAsyncLifetime
{
    /// <summary>The node's id.</summary>
    public const string NodeId = "gpu-jobs";

    /// <summary>The input dataset's id.</summary>
    public const string DatasetId = "health-records";

    /// <summary>The silo.</summary>
    public SiloUnderTest Silo { get; private set; } = null!;

    /// <summary>A directory for job files, deleted at the end.</summary>
    public string Directory { get; private set; } = null!;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        Silo = await SiloUnderTest.StartEmbeddedAsync(extra: new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Executor:SecondsPerEstimatedHour"] = "2",
        });
        Directory = System.IO.Directory.CreateTempSubdirectory("fedctl-job-tests-").FullName;
        var ct = TestContext.Current.CancellationToken;
        await ExpectAsync(await Silo.Client.PostAsJsonAsync("/api/v1/nodes", new JsonObject
        {
            ["id"] = NodeId,
            ["site"] = "test-site",
            ["accelerator"] = "h100-sxm",
            ["count"] = 4,
            ["leaseSeconds"] = 3600,
        }, ct), HttpStatusCode.Created, ct);
        await ExpectAsync(await Silo.Client.PostAsJsonAsync($"/api/v1/nodes/{NodeId}/heartbeat", new JsonObject(), ct), HttpStatusCode.OK, ct);
        await ExpectAsync(await Silo.Client.PostAsJsonAsync("/api/v1/datasets", new JsonObject
        {
            ["id"] = DatasetId,
            ["title"] = "Health records",
            ["description"] = "Registered by a test",
            ["location"] = $"s3://bucket/{DatasetId}",
            ["sizeBytes"] = 1024,
            ["recordCount"] = 10,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(DatasetId))),
            ["format"] = "parquet",
            ["licence"] = "CC-BY-4.0",
            ["steward"] = "Test office <t@example.org>",
            ["tags"] = new JsonArray("health", "test"),
            ["residency"] = new JsonObject { ["kind"] = "homeOnly" },
            ["dataUse"] = new JsonObject { ["permission"] = "HMB", ["modifiers"] = new JsonArray("IRB") },
        }, ct), HttpStatusCode.Created, ct);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>fedctl's environment for this silo (no config file, no token: the embedded silo needs none).</summary>
    public Dictionary<string, string?> Environment()
    {
        var environment = FedctlRun.CleanEnvironment();
        environment["FEDCTL_URL"] = Silo.BaseAddress.ToString();
        return environment;
    }

    /// <summary>
    /// A job of 10 accelerator-hours on a100-80gb-sxm for 2 accelerators, on the dataset: on the
    /// node's H100s it runs a few seconds at 2 s per estimated hour.
    /// </summary>
    public static JsonObject Job(string id, string owner = "alice@example.org") => new()
    {
        ["id"] = id,
        ["owner"] = new JsonObject { ["user"] = owner, ["consortium"] = "onco" },
        ["inputs"] = new JsonArray($"FR/{DatasetId}"),
        ["purpose"] = new JsonObject { ["use"] = "HMB", ["ethicsApprovalReference"] = "IRB-7" },
        ["accelerators"] = new JsonObject { ["count"] = 2 },
        ["work"] = new JsonObject { ["acceleratorHours"] = 10, ["referenceAccelerator"] = "a100-80gb-sxm" },
        ["walltimeMinutes"] = 600,
        ["workload"] = new JsonObject { ["name"] = "demo-train", ["version"] = "1.0", ["arguments"] = new JsonObject { ["epochs"] = "3" } },
    };

    /// <summary>Writes <paramref name="job"/> to a file in <see cref="Directory"/>; returns its path.</summary>
    public string WriteJob(string name, JsonNode job)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, job.ToJsonString());
        return path;
    }

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken ct)
    {
        using (response)
        {
            if (response.StatusCode != expected)
            {
                throw new InvalidOperationException(
                    $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }
        }
    }
}
