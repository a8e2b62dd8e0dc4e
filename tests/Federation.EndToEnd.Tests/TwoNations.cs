using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Federation.Protocol;
using Federation.Protocol.Roster;
using Federation.Silo.Hosting;
using Federation.Silo.Peering;
using Federation.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.EndToEnd.Tests;

/// <summary>Two real silos, FR and DE, with federation endpoints on free ports and one roster file.</summary>
public sealed class TwoNations : IAsyncDisposable
{
    private readonly string _directory;

    private TwoNations(string directory, NationUnderTest fr, NationUnderTest de)
    {
        _directory = directory;
        Fr = fr;
        De = de;
    }

    public NationUnderTest Fr { get; }

    public NationUnderTest De { get; }

    public string RosterPath => Path.Combine(_directory, "roster.json");

    public static async Task<TwoNations> StartAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"peering-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var rosterPath = Path.Combine(directory, "roster.json");
        using var frCertificate = NationCertificates.Create("FR");
        using var deCertificate = NationCertificates.Create("DE");
        var frPin = SpkiPin.Compute(frCertificate);
        var dePin = SpkiPin.Compute(deCertificate);
        WriteRoster(rosterPath, new RosterDocument(
        [
            Entry("FR", "https://127.0.0.1:1", frPin),
            Entry("DE", "https://127.0.0.1:1", dePin),
        ]));
        var fr = await NationUnderTest.StartAsync("FR", frCertificate, directory, rosterPath, extra);
        var de = await NationUnderTest.StartAsync("DE", deCertificate, directory, rosterPath, extra);
        WriteRoster(rosterPath, new RosterDocument(
        [
            Entry("FR", fr.FederationUrl, frPin),
            Entry("DE", de.FederationUrl, dePin),
        ]));
        var nations = new TwoNations(directory, fr, de);
        await nations.WaitForRosterAsync(r => r.Find("DE")?.FederationEndpoint == de.FederationUrl, "FR's roster names DE's bound federation URL");
        return nations;
    }

    public static RosterEntry Entry(string code, string endpoint, params string[] pins) => new(code, code, endpoint, ProtocolVersions.Supported, pins);

    /// <summary>Replaces the roster file atomically, as an operator's editor would.</summary>
    public static void WriteRoster(string path, RosterDocument roster)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, roster.ToJson());
        File.Move(temporary, path, overwrite: true);
    }

    public Task WaitForRosterAsync(Func<RosterStore, bool> condition, string expectation) =>
        Task.WhenAll(
            Eventually.WaitAsync(() => Task.FromResult(Fr.Roster), condition, TimeSpan.FromSeconds(10), $"FR: {expectation}"),
            Eventually.WaitAsync(() => Task.FromResult(De.Roster), condition, TimeSpan.FromSeconds(10), $"DE: {expectation}"));

    /// <summary>A client with <paramref name="certificate"/> (or none) that accepts any server certificate: a stranger.</summary>
    public static HttpClient StrangerClient(Uri baseAddress, X509Certificate2? certificate)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = certificate is null ? null : [certificate],
                LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        await Fr.DisposeAsync();
        await De.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary directory.
        }
    }
}

/// <summary>One nation's silo in this process.</summary>
public sealed class NationUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NationUnderTest(WebApplication app, string code)
    {
        _app = app;
        Code = code;
        var endpoint = app.Services.GetRequiredService<PeeringEndpoint>();
        FederationUrl = endpoint.Url ?? throw new InvalidOperationException($"{code} started without a federation URL.");
        ApiUrl = app.Services.GetRequiredService<SiloEndpoints>().ApiBaseUrl ?? throw new InvalidOperationException($"{code} started without an API URL.");
    }

    public string Code { get; }

    public string FederationUrl { get; }

    public string ApiUrl { get; }

    public IServiceProvider Services => _app.Services;

    public RosterStore Roster => Services.GetRequiredService<RosterStore>();

    public PeerHttpClientFactory Peers => Services.GetRequiredService<PeerHttpClientFactory>();

    public static async Task<NationUnderTest> StartAsync(string code, X509Certificate2 certificate, string directory, string rosterPath, IReadOnlyDictionary<string, string?>? extra = null, Action<IServiceCollection>? replace = null)
    {
        var pfx = Path.Combine(directory, $"{code.ToLowerInvariant()}.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12));
        var settings = new Dictionary<string, string?>
        {
            ["Federation:Nation:Code"] = code,
            ["Federation:Urls"] = "http://127.0.0.1:0",
            ["Federation:SiloPort"] = "0",
            ["Federation:GatewayPort"] = "0",
            ["Federation:SeedDemoCatalogue"] = "false",
            ["Federation:Peering:Port"] = "0",
            ["Federation:Peering:CertificatePath"] = pfx,
            ["Federation:Peering:RosterPath"] = rosterPath,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = SiloHost.Build([], c => c.AddInMemoryCollection(settings), replace);
        await app.StartAsync(CancellationToken.None);
        return new NationUnderTest(app, code);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
