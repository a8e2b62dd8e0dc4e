using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Fedctl.Local;
using Federation.Protocol;
using Federation.Protocol.Roster;
using Federation.Testing;

namespace Federation.EndToEnd.Tests;

/// <summary>
/// A local federation (FR, DE, SE as real processes, mutual TLS over loopback) for the trust tests:
/// the roster names each nation's grid zone, DE and SE have the same accelerators (so only carbon
/// tells them apart), FR holds a home-only health cohort and an open dataset, SE a movable panel.
/// </summary>
public sealed class TrustFederation : IAsyncLifetime
{
    /// <summary>How often the nations push adverts.</summary>
    public static readonly TimeSpan AdvertInterval = TimeSpan.FromSeconds(2);

    /// <summary>FR's health cohort: public, processed only in FR, health research.</summary>
    public const string HealthCohort = "FR/health-cohort";

    /// <summary>FR's open data: public, processed anywhere, any research.</summary>
    public const string OpenData = "FR/open-data";

    /// <summary>SE's panel: public, processed anywhere, any research.</summary>
    public const string Panel = "SE/panel";

    private static readonly Dictionary<string, (string Node, string Slug)> s_nodes = new(StringComparer.Ordinal)
    {
        ["FR"] = ("fr-l40s", "l40s"),
        ["DE"] = ("de-h100", "h100-sxm"),
        ["SE"] = ("se-h100", "h100-sxm"),
    };

    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, X509Certificate2> _certificates = new(StringComparer.Ordinal);
    private LocalFederation _launcher = null!;

    /// <summary>Where certificates, roster and logs go.</summary>
    public string WorkDirectory { get; private set; } = null!;

    /// <summary>What the launcher started.</summary>
    public LocalFederationState State { get; private set; } = null!;

    /// <summary>A client of <paramref name="code"/>'s user API.</summary>
    public HttpClient Client(string code) => _clients[code];

    /// <summary>The nation <paramref name="code"/>'s own federation certificate, with its key (as the launcher wrote it).</summary>
    public X509Certificate2 Certificate(string code) => _certificates[code];

    /// <summary>A federation client that presents <paramref name="from"/>'s rostered certificate to <paramref name="to"/>'s federation port.</summary>
    public HttpClient FederationClient(string from, string to) =>
        TwoNations.StrangerClient(new Uri(new Uri(State.Nations.Single(n => n.Code == to).FederationUrl), "/"), Certificate(from));

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
        WorkDirectory = Directory.CreateTempSubdirectory("trust-").FullName;
        // No demo catalogue: the scenarios rely on exactly the accelerators and data registered below.
        _launcher = new LocalFederation(WorkDirectory, _output, _error)
        {
            ExtraArguments = new Dictionary<string, IReadOnlyList<string>>
            {
                ["*"] = ["--Federation:SeedDemoCatalogue=false"],
                // SE runs DE's three drain jobs on its 4 accelerators (NationDrainLeaveTests): more than the default foreign share (half).
                ["SE"] = ["--Federation:Nation:MaxForeignShare=1"],
            },
        };
        var silo = Path.Combine(AppContext.BaseDirectory, "Federation.Silo.dll");
        State = await _launcher.UpAsync(["FR", "DE", "SE"], silo, postgres: null, AdvertInterval, ct);
        foreach (var nation in State.Nations)
        {
            _clients[nation.Code] = new HttpClient { BaseAddress = new Uri(nation.ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
            _certificates[nation.Code] = NationCertificates.LoadPfx(Path.Combine(WorkDirectory, nation.Code, $"{nation.Code.ToLowerInvariant()}.pfx"));
        }

        // The federation agrees each nation's grid zone in the roster; the silos pick the edit up without a restart.
        var roster = RosterDocument.Parse(await File.ReadAllTextAsync(State.Roster, ct));
        TwoNations.WriteRoster(State.Roster, new RosterDocument([.. roster.Nations.Select(e => e with { GridZone = e.Code })]));

        foreach (var (code, (node, slug)) in s_nodes)
        {
            var spec = new JsonObject { ["id"] = node, ["site"] = "lab", ["accelerator"] = slug, ["count"] = 4, ["leaseSeconds"] = 3600 };
            await ExpectAsync(await Client(code).PostAsJsonAsync("api/v1/nodes", spec, ct), HttpStatusCode.Created);
            await ExpectAsync(await Client(code).PostAsJsonAsync($"api/v1/nodes/{node}/heartbeat", new JsonObject(), ct), HttpStatusCode.OK);
        }

        await RegisterAsync(HealthCohort, new JsonObject { ["kind"] = "homeOnly" }, new JsonObject { ["permission"] = "HMB" });
        await RegisterAsync(OpenData, new JsonObject { ["kind"] = "anywhere" }, new JsonObject { ["permission"] = "GRU" });
        await RegisterAsync(Panel, new JsonObject { ["kind"] = "anywhere" }, new JsonObject { ["permission"] = "GRU" });

        foreach (var observer in State.Nations)
        {
            foreach (var subject in State.Nations.Where(n => n.Code != observer.Code))
            {
                await Eventually.WaitAsync(
                    () => PeerAsync(observer.Code, subject.Code),
                    p => p?["health"]?.GetValue<string>() == "reachable"
                        && p["lastAdvert"]?["accelerators"]?.AsArray().Any(a => a!["slug"]!.GetValue<string>() == s_nodes[subject.Code].Slug) == true,
                    TimeSpan.FromSeconds(30),
                    $"{observer.Code} to see {subject.Code} reachable with its accelerators{Diagnostics()}",
                    TimeSpan.FromMilliseconds(250));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        foreach (var certificate in _certificates.Values)
        {
            certificate.Dispose();
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

    private async Task RegisterAsync(string reference, JsonObject residency, JsonObject dataUse)
    {
        var dataset = FederationFixtures.DatasetBody(reference, 5_000_000_000, residency, dataUse);
        await ExpectAsync(await Client(reference.Split('/')[0]).PostAsJsonAsync("api/v1/datasets", dataset, TestContext.Current.CancellationToken), HttpStatusCode.Created);
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
