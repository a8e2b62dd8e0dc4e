using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Federation.Grains.Learning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Federation.EndToEnd.Tests.Learning;

/// <summary>
/// FR, DE and SE in this process (<see cref="ThreeNations"/>), each with a GPU node and a home-only
/// <c>patient-outcomes</c> and <c>registry-outcomes</c> dataset that export masked updates, and <see cref="ToyLearning"/> as its local
/// step and initial model source. Shared by the federated job tests.
/// </summary>
public sealed class FederatedJobNations : IAsyncLifetime
{
    /// <summary>The dataset each nation holds.</summary>
    public const string Dataset = "patient-outcomes";

    /// <summary>A second such dataset in each nation, for the test that changes its export policy.</summary>
    public const string Other = "registry-outcomes";

    /// <summary>A third such dataset in each nation, for the test that changes its data-use conditions.</summary>
    public const string Cohort = "cohort-outcomes";

    private static readonly string[] s_codes = ["FR", "DE", "SE"];
    private readonly string _work = Directory.CreateTempSubdirectory("fedjob-work-").FullName;
    private ThreeNations? _nations;

    /// <summary>The nations by code.</summary>
    public IReadOnlyDictionary<string, NationUnderTest> Nations => _nations!.Nations;

    /// <summary>Each nation's learning fakes.</summary>
    public Dictionary<string, ToyLearning> Learning { get; } = s_codes.ToDictionary(c => c, _ => new ToyLearning());

    /// <summary>A user API client of <paramref name="code"/>.</summary>
    public HttpClient Client(string code) => new() { BaseAddress = new Uri(Nations[code].ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The body of <paramref name="code"/>'s dataset with export policy <paramref name="exports"/> and data use <paramref name="dataUse"/> (HMB when null).</summary>
    public static JsonObject DatasetBody(string code, string exports, string dataset = Dataset, JsonObject? dataUse = null)
    {
        var body = FederationFixtures.DatasetBody($"{code}/{dataset}", 1_000_000, new JsonObject { ["kind"] = "homeOnly" }, dataUse ?? new JsonObject { ["permission"] = "HMB" });
        body["exports"] = exports;
        return body;
    }

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Federation:Peering:Workloads:0"] = "demo-train@1.0",
            ["Federation:Peering:AdvertInterval"] = "00:00:01",
            ["Federation:Executor:SecondsPerEstimatedHour"] = "1",
            ["Federation:Executor:PollSeconds"] = "0.3",
            ["Federation:Executor:ProgressSeconds"] = "0.2",
            ["Federation:Executor:WorkRoot"] = _work,
            ["Federation:Artifacts:Root"] = Path.Combine(_work, "artifacts"),
            ["Federation:Learning:StageTimeout"] = "00:00:30",
            ["Federation:Transparency:HeadInterval"] = "01:00:00",
            ["Federation:Transparency:PeerCheckInterval"] = "01:00:00",
        };
        _nations = await ThreeNations.StartAsync(settings, (code, services) =>
        {
            services.Replace(ServiceDescriptor.Singleton<ILocalStepRunner>(Learning[code]));
            services.Replace(ServiceDescriptor.Singleton<IInitialModelSource>(Learning[code]));
        });
        foreach (var code in s_codes)
        {
            using var client = Client(code);
            await ExpectAsync(await client.PostAsJsonAsync("api/v1/nodes", new JsonObject { ["id"] = $"{code.ToLowerInvariant()}-gpu", ["site"] = "lab", ["accelerator"] = "a100-80gb-sxm", ["count"] = 4, ["leaseSeconds"] = 3600 }), HttpStatusCode.Created);
            await ExpectAsync(await client.PostAsJsonAsync($"api/v1/nodes/{code.ToLowerInvariant()}-gpu/heartbeat", new JsonObject()), HttpStatusCode.OK);
            await ExpectAsync(await client.PostAsJsonAsync("api/v1/datasets", DatasetBody(code, "maskedUpdates")), HttpStatusCode.Created);
            await ExpectAsync(await client.PostAsJsonAsync("api/v1/datasets", DatasetBody(code, "maskedUpdates", Other)), HttpStatusCode.Created);
            await ExpectAsync(await client.PostAsJsonAsync("api/v1/datasets", DatasetBody(code, "maskedUpdates", Cohort)), HttpStatusCode.Created);
        }

        using var de = Client("DE");
        foreach (var peer in new[] { "FR", "SE" })
        {
            await Federation.Testing.Eventually.WaitAsync(
                () => FederationFixtures.PeerAsync(de, peer),
                p => p?["lastAdvert"]?["accelerators"]?.AsArray().Count > 0,
                TimeSpan.FromSeconds(60), $"DE to hear {peer}'s advert with its accelerators", TimeSpan.FromMilliseconds(200));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_nations is not null)
        {
            await _nations.DisposeAsync();
        }

        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary directory.
        }
    }

    /// <summary>Asserts <paramref name="response"/> answered <paramref name="expected"/> and returns its JSON body.</summary>
    public static async Task<JsonObject> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected,
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
            return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
        }
    }
}
