using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Fedctl.Local;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// One local federation (FR, DE, SE as real processes, mutual TLS over loopback, the launcher's
/// default workloads) shared by the route-plan tests: accelerators up in every nation, one dataset
/// per case, and every nation seeing every other's advert with that capacity before any test plans.
/// </summary>
public sealed class RoutePlanFederation : IAsyncLifetime
{
    /// <summary>How often the nations push adverts.</summary>
    public static readonly TimeSpan AdvertInterval = TimeSpan.FromSeconds(1);

    /// <summary>Accelerators each nation has up: FR only 48 GB cards, DE and SE 80 GB ones.</summary>
    public static readonly IReadOnlyDictionary<string, (string Node, string Slug, int Count)[]> Accelerators = new Dictionary<string, (string, string, int)[]>
    {
        ["FR"] = [("fr-l40s", "l40s", 4)],
        ["DE"] = [("de-h100", "h100-sxm", 4)],
        ["SE"] = [("se-a100", "a100-80gb-sxm", 4), ("se-h100", "h100-sxm", 2)],
    };

    /// <summary>FR's health cohort: public, processed only in FR, health/medical/biomedical use.</summary>
    public const string HealthCohort = "FR/health-cohort";

    /// <summary>DE's climate archive: public, 1 TB, processed anywhere, general research use.</summary>
    public const string ClimateArchive = "DE/climate-archive";

    /// <summary>Size of <see cref="ClimateArchive"/>, bytes.</summary>
    public const long ClimateArchiveBytes = 1_000_000_000_000;

    /// <summary>SE's consumer panel: public, processed anywhere, HMB and not for commercial use (NCU).</summary>
    public const string ConsumerPanel = "SE/consumer-panel";

    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private LocalFederation _launcher = null!;

    /// <summary>Where certificates, roster, logs and job files go.</summary>
    public string WorkDirectory { get; private set; } = null!;

    /// <summary>What the launcher started.</summary>
    public LocalFederationState State { get; private set; } = null!;

    /// <summary>How long the federation took to start and to see every advert.</summary>
    public TimeSpan ReadyAfter { get; private set; }

    /// <summary>The nation <paramref name="code"/>.</summary>
    public LocalNationState Nation(string code) => State.Nations.Single(n => n.Code == code);

    /// <summary>A client of <paramref name="code"/>'s user API.</summary>
    public HttpClient Client(string code) => _clients[code];

    /// <summary>The launcher's output and the end of every silo log, for failure messages.</summary>
    public string Diagnostics()
    {
        var logs = new StringBuilder($"{Environment.NewLine}launcher: {_output}{_error}");
        foreach (var nation in State?.Nations ?? [])
        {
            logs.AppendLine().Append(nation.Code).Append(" log tail:").AppendLine();
            try
            {
                logs.AppendJoin(Environment.NewLine, File.ReadLines(nation.Log).TakeLast(15));
            }
            catch (IOException e)
            {
                logs.Append(e.Message);
            }
        }

        return logs.ToString();
    }

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        WorkDirectory = Directory.CreateTempSubdirectory("route-plan-").FullName;
        // No demo catalogue: the cases need exactly the accelerators and datasets registered below.
        _launcher = new LocalFederation(WorkDirectory, _output, _error)
        {
            ExtraArguments = new Dictionary<string, IReadOnlyList<string>> { ["*"] = ["--Federation:SeedDemoCatalogue=false"] },
        };
        var silo = Path.Combine(AppContext.BaseDirectory, "Federation.Silo.dll");
        State = await _launcher.UpAsync(["FR", "DE", "SE"], silo, postgres: null, AdvertInterval, ct);
        foreach (var nation in State.Nations)
        {
            _clients[nation.Code] = new HttpClient { BaseAddress = new Uri(nation.ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        }

        foreach (var (code, nodes) in Accelerators)
        {
            foreach (var (node, slug, count) in nodes)
            {
                var spec = new JsonObject { ["id"] = node, ["site"] = "lab", ["accelerator"] = slug, ["count"] = count, ["leaseSeconds"] = 3600 };
                await ExpectAsync(await Client(code).PostAsJsonAsync("api/v1/nodes", spec, ct), HttpStatusCode.Created);
                await ExpectAsync(await Client(code).PostAsJsonAsync($"api/v1/nodes/{node}/heartbeat", new JsonObject(), ct), HttpStatusCode.OK);
            }
        }

        await RegisterAsync(HealthCohort, 2_000_000_000, new JsonObject { ["kind"] = "homeOnly" }, new JsonObject { ["permission"] = "HMB" });
        await RegisterAsync(ClimateArchive, ClimateArchiveBytes, new JsonObject { ["kind"] = "anywhere" }, new JsonObject { ["permission"] = "GRU" });
        await RegisterAsync(ConsumerPanel, 5_000_000_000, new JsonObject { ["kind"] = "anywhere" }, new JsonObject { ["permission"] = "HMB", ["modifiers"] = new JsonArray("NCU") });

        // Before any plan: every nation sees every other one reachable, with all its accelerators free and the default workloads.
        foreach (var observer in State.Nations)
        {
            foreach (var subject in State.Nations.Where(n => n.Code != observer.Code))
            {
                await Eventually.WaitAsync(
                    () => PeerAsync(observer.Code, subject.Code),
                    p => p?["health"]?.GetValue<string>() == "reachable" && AdvertShowsEverything(subject.Code, p["lastAdvert"]),
                    TimeSpan.FromSeconds(30),
                    $"{observer.Code} to see {subject.Code} reachable with {Describe(subject.Code)} free and workloads {string.Join(", ", LocalFederation.DefaultWorkloads)}{Diagnostics()}",
                    TimeSpan.FromMilliseconds(250));
            }
        }

        ReadyAfter = clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        if (_launcher is not null)
        {
            await _launcher.DownAsync();
        }

        _output.Dispose();
        _error.Dispose();
        if (WorkDirectory is not null)
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
    }

    /// <summary>What <paramref name="observer"/> knows of <paramref name="subject"/> (GET /api/v1/peers).</summary>
    public Task<JsonObject?> PeerAsync(string observer, string subject) => FederationFixtures.PeerAsync(Client(observer), subject);

    /// <summary>
    /// The adverts the nations publish, as <paramref name="planner"/> knows them: its peers' last
    /// adverts, and its own as another nation received it.
    /// </summary>
    public async Task<Dictionary<string, JsonObject>> AdvertsAsync(string planner)
    {
        var adverts = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var nation in State.Nations)
        {
            var observer = nation.Code == planner ? State.Nations.First(n => n.Code != planner).Code : planner;
            var peer = await PeerAsync(observer, nation.Code);
            adverts[nation.Code] = peer?["lastAdvert"] as JsonObject ?? throw new InvalidOperationException($"{observer} has no advert of {nation.Code}");
        }

        return adverts;
    }

    private static bool AdvertShowsEverything(string code, JsonNode? advert)
    {
        var offered = advert?["accelerators"]?.AsArray().OfType<JsonObject>()
            .Select(a => (Slug: a["slug"]!.GetValue<string>(), Free: a["free"]!.GetValue<int>(), Total: a["total"]!.GetValue<int>()))
            .ToHashSet() ?? [];
        var workloads = advert?["workloads"]?.AsArray().OfType<JsonObject>().Select(w => $"{w["name"]}@{w["version"]}").ToHashSet() ?? [];
        return Accelerators[code].All(a => offered.Contains((a.Slug, a.Count, a.Count)))
            && LocalFederation.DefaultWorkloads.All(workloads.Contains);
    }

    private static string Describe(string code) => string.Join(", ", Accelerators[code].Select(a => $"{a.Count} x {a.Slug}"));

    private async Task RegisterAsync(string reference, long sizeBytes, JsonObject residency, JsonObject dataUse)
    {
        var nation = reference.Split('/')[0];
        var dataset = FederationFixtures.DatasetBody(reference, sizeBytes, residency, dataUse);
        await ExpectAsync(await Client(nation).PostAsJsonAsync("api/v1/datasets", dataset, TestContext.Current.CancellationToken), HttpStatusCode.Created);
    }

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            if (response.StatusCode != expected)
            {
                var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {body}");
            }
        }
    }
}
