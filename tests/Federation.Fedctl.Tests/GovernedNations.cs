using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Federation.Protocol;
using Federation.Protocol.Roster;
using Federation.Protocol.Wire;
using Federation.Silo.Hosting;
using Federation.Silo.Peering;
using Federation.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Fedctl.Tests;

/// <summary>
/// Four embedded nations in this process over mutual TLS: FR, DE and SE are the roster (version 1,
/// the shared roster file); NL runs with the same roster file but is not on it, so nobody hears from
/// it until a signed roster version adds it. Each nation's key is a <c>.pfx</c> in <see cref="Directory"/>.
/// </summary>
public sealed class GovernedNations : IAsyncDisposable
{
    /// <summary>The members of version 1.</summary>
    public static readonly string[] Members = ["FR", "DE", "SE"];

    private readonly Dictionary<string, WebApplication> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, X509Certificate2> _keys = new(StringComparer.Ordinal);

    private GovernedNations(string directory) => Directory = directory;

    /// <summary>Keys, roster file and proposals.</summary>
    public string Directory { get; }

    /// <summary>The shared roster file.</summary>
    public string RosterPath => Path.Combine(Directory, "roster.json");

    /// <summary>NL's roster entry as <c>fedctl nation init</c> would print it.</summary>
    public string NlEntryPath => Path.Combine(Directory, "nl-entry.json");

    /// <summary>Starts the four nations and writes the roster of FR, DE and SE.</summary>
    public static async Task<GovernedNations> StartAsync()
    {
        var nations = new GovernedNations(System.IO.Directory.CreateTempSubdirectory("fedctl-governed-").FullName);
        try
        {
            foreach (var code in Members.Append("NL"))
            {
                nations._keys[code] = NationCertificates.Create(code);
            }

            nations.WriteRoster(Members.ToDictionary(c => c, _ => "https://127.0.0.1:1"));
            foreach (var code in nations._keys.Keys)
            {
                await nations.StartNationAsync(code);
            }

            nations.WriteRoster(Members.ToDictionary(c => c, nations.FederationUrl));
            await File.WriteAllTextAsync(nations.NlEntryPath, System.Text.Json.JsonSerializer.Serialize(nations.Entry("NL", nations.FederationUrl("NL")), RosterDocument.JsonOptions));
            foreach (var code in nations._keys.Keys)
            {
                await Eventually.WaitAsync(
                    () => Task.FromResult(nations.Roster(code).Find("DE")?.FederationEndpoint),
                    endpoint => endpoint == nations.FederationUrl("DE"),
                    TimeSpan.FromSeconds(10),
                    $"{code}'s roster names DE's bound federation URL");
            }

            return nations;
        }
        catch
        {
            await nations.DisposeAsync();
            throw;
        }
    }

    /// <summary>The path of <paramref name="code"/>'s key file.</summary>
    public string KeyPath(string code) => Path.Combine(Directory, $"{code.ToLowerInvariant()}.pfx");

    /// <summary><paramref name="code"/>'s roster store.</summary>
    public RosterStore Roster(string code) => _apps[code].Services.GetRequiredService<RosterStore>();

    /// <summary><paramref name="code"/>'s bound federation URL.</summary>
    public string FederationUrl(string code) => _apps[code].Services.GetRequiredService<PeeringEndpoint>().Url!;

    /// <summary>fedctl's environment for <paramref name="code"/>'s user API.</summary>
    public Dictionary<string, string?> Environment(string code)
    {
        var environment = FedctlRun.CleanEnvironment();
        environment["FEDCTL_URL"] = _apps[code].Services.GetRequiredService<SiloEndpoints>().ApiBaseUrl;
        return environment;
    }

    /// <summary>
    /// <c>GET /federation/v1/hello</c> from <paramref name="from"/> (presenting <paramref name="key"/>, by default its
    /// key) to <paramref name="to"/>: the status, or null when the TLS handshake or the first read was refused.
    /// </summary>
    public async Task<HttpStatusCode?> HelloAsync(string from, string to, X509Certificate2? key = null)
    {
        using var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                ClientCertificates = [key ?? _keys[from]],
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is X509Certificate2 server && SpkiPin.Compute(server) == SpkiPin.Compute(_keys[to]),
            },
            PooledConnectionLifetime = TimeSpan.Zero,
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(FederationUrl(to)), Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "federation/v1/hello").WithRequestId(Guid.NewGuid());
        try
        {
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary><paramref name="observer"/>'s view of the peer <paramref name="peer"/> (GET /api/v1/peers), or null.</summary>
    public async Task<JsonObject?> PeerAsync(string observer, string peer)
    {
        using var client = new HttpClient { BaseAddress = new Uri(_apps[observer].Services.GetRequiredService<SiloEndpoints>().ApiBaseUrl!) };
        var list = JsonNode.Parse(await client.GetStringAsync("/api/v1/peers", TestContext.Current.CancellationToken))!.AsArray();
        return list.OfType<JsonObject>().FirstOrDefault(p => p["nation"]?.GetValue<string>() == peer);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps.Values)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }

        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private RosterEntry Entry(string code, string endpoint) => new(code, code, endpoint, ProtocolVersions.Supported, [SpkiPin.Compute(_keys[code])]);

    private async Task StartNationAsync(string code)
    {
        await File.WriteAllBytesAsync(KeyPath(code), _keys[code].Export(X509ContentType.Pkcs12));
        var app = SiloHost.Build([], c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Federation:Nation:Code"] = code,
            ["Federation:Urls"] = "http://127.0.0.1:0",
            ["Federation:SiloPort"] = "0",
            ["Federation:GatewayPort"] = "0",
            ["Federation:SeedDemoCatalogue"] = "false",
            ["Federation:Peering:Port"] = "0",
            ["Federation:Peering:CertificatePath"] = KeyPath(code),
            ["Federation:Peering:RosterPath"] = RosterPath,
            ["Federation:Peering:AdvertInterval"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        await app.StartAsync(CancellationToken.None);
        _apps[code] = app;
    }

    private void WriteRoster(Dictionary<string, string> endpoints)
    {
        var document = new RosterDocument([.. endpoints.Select(e => Entry(e.Key, e.Value))]);
        var temporary = RosterPath + ".tmp";
        File.WriteAllText(temporary, document.ToJson());
        File.Move(temporary, RosterPath, overwrite: true);
    }
}
