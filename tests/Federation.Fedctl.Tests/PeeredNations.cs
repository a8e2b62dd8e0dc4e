using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Federation.Protocol;
using Federation.Protocol.Roster;
using Federation.Silo.Hosting;
using Federation.Silo.Peering;
using Federation.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Fedctl.Tests;

/// <summary>
/// Two embedded nations in this process, FR and DE, peered over mutual TLS with one roster and
/// adverts every second; DE has a node of 4 x h100-sxm that is up, so its advert offers them.
/// </summary>
public sealed class PeeredNations : IAsyncLifetime
{
    /// <summary>DE's node.</summary>
    public const string NodeId = "gpu-de-01";

    private readonly List<WebApplication> _apps = [];
    private string _directory = null!;

    /// <summary>FR's user API.</summary>
    public Uri FrApi { get; private set; } = null!;

    /// <summary>FR's federation endpoint (https, mutual TLS).</summary>
    public Uri FrFederation { get; private set; } = null!;

    /// <summary>DE's user API.</summary>
    public Uri DeApi { get; private set; } = null!;

    /// <summary>The model artifact store of nation <paramref name="code"/> (a directory of this fixture).</summary>
    public string ArtifactRoot(string code) => Path.Combine(_directory, code, "artifacts");

    /// <summary>The data root of nation <paramref name="code"/> (a directory of this fixture).</summary>
    public string DataRoot(string code) => Path.Combine(_directory, code, "data");

    /// <summary>
    /// The nations' pinned evaluation program: a stand-in for the TorchSharp workload with its
    /// contract (<c>evaluate --manifest file</c>, <c>metrics.json</c> in <c>outputDirectory</c>) that
    /// answers fixed metrics, so that tests check signing, transfer and verification, not training.
    /// </summary>
    private string EvaluationProgram => Path.Combine(_directory, "evaluate.sh");

    public async ValueTask InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("fedctl-peers-").FullName;
        await File.WriteAllTextAsync(EvaluationProgram, """
            #!/bin/sh
            [ "$1" = evaluate ] && [ "$2" = --manifest ] || { echo "error: verb: expected evaluate --manifest" >&2; exit 2; }
            out=$(sed -n 's/.*"outputDirectory":"\([^"]*\)".*/\1/p' "$3")
            mkdir -p "$out"
            printf '{"evaluation":{"rows":500,"positives":120,"accuracy":0.81,"auc":0.88,"logLoss":0.42,"brier":0.14,"ece":0.03}}' > "$out/metrics.json"
            echo "$out/metrics.json"
            """.Replace("\r", "", StringComparison.Ordinal) + "\n", TestContext.Current.CancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(EvaluationProgram, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.CreateDirectory(DataRoot("FR"));
        Directory.CreateDirectory(DataRoot("DE"));
        var roster = Path.Combine(_directory, "roster.json");
        using var fr = NationCertificates.Create("FR");
        using var de = NationCertificates.Create("DE");
        WriteRoster(roster, ("FR", "https://127.0.0.1:1", fr), ("DE", "https://127.0.0.1:1", de));
        var frApp = await StartAsync("FR", fr, roster);
        var deApp = await StartAsync("DE", de, roster);
        var frFederation = frApp.Services.GetRequiredService<PeeringEndpoint>().Url!;
        var deFederation = deApp.Services.GetRequiredService<PeeringEndpoint>().Url!;
        WriteRoster(roster, ("FR", frFederation, fr), ("DE", deFederation, de));
        FrApi = new Uri(frApp.Services.GetRequiredService<SiloEndpoints>().ApiBaseUrl!);
        FrFederation = new Uri(frFederation);
        DeApi = new Uri(deApp.Services.GetRequiredService<SiloEndpoints>().ApiBaseUrl!);
        await Eventually.WaitAsync(
            () => Task.FromResult(frApp.Services.GetRequiredService<RosterStore>().Find("DE")?.FederationEndpoint),
            endpoint => endpoint == deFederation,
            TimeSpan.FromSeconds(10),
            "FR's roster names DE's bound federation URL");

        using var client = new HttpClient { BaseAddress = DeApi, Timeout = TimeSpan.FromSeconds(30) };
        var ct = TestContext.Current.CancellationToken;
        using (var created = await client.PostAsJsonAsync("/api/v1/nodes", new JsonObject { ["id"] = NodeId, ["site"] = "berlin", ["accelerator"] = "h100-sxm", ["count"] = 4, ["leaseSeconds"] = 3600 }, ct))
        {
            created.EnsureSuccessStatusCode();
        }

        using var beat = await client.PostAsJsonAsync($"/api/v1/nodes/{NodeId}/heartbeat", new JsonObject(), ct);
        beat.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>fedctl's environment for FR's API.</summary>
    public Dictionary<string, string?> FrEnvironment()
    {
        var environment = FedctlRun.CleanEnvironment();
        environment["FEDCTL_URL"] = FrApi.ToString();
        return environment;
    }

    private async Task<WebApplication> StartAsync(string code, X509Certificate2 certificate, string roster)
    {
        var pfx = Path.Combine(_directory, $"{code.ToLowerInvariant()}.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12));
        var app = SiloHost.Build([], c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Federation:Nation:Code"] = code,
            ["Federation:Urls"] = "http://127.0.0.1:0",
            ["Federation:SiloPort"] = "0",
            ["Federation:GatewayPort"] = "0",
            ["Federation:SeedDemoCatalogue"] = "false",
            ["Federation:Peering:Port"] = "0",
            ["Federation:Peering:CertificatePath"] = pfx,
            ["Federation:Peering:RosterPath"] = roster,
            ["Federation:Peering:AdvertInterval"] = "00:00:01",
            ["Federation:Artifacts:Root"] = ArtifactRoot(code),
            ["Federation:Artifacts:EvaluationProgram"] = EvaluationProgram,
            ["Federation:Artifacts:EvaluationProgramSha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(EvaluationProgram))),
            ["Federation:Data:Roots:0"] = DataRoot(code),
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        await app.StartAsync(CancellationToken.None);
        _apps.Add(app);
        return app;
    }

    private static void WriteRoster(string path, params (string Code, string Endpoint, X509Certificate2 Certificate)[] nations)
    {
        var document = new RosterDocument([.. nations.Select(n => new RosterEntry(n.Code, n.Code, n.Endpoint, ProtocolVersions.Supported, [SpkiPin.Compute(n.Certificate)]))]);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, document.ToJson());
        File.Move(temporary, path, overwrite: true);
    }
}
