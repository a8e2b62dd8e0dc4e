using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Federation.Protocol;
using Federation.Protocol.Messages;
using Federation.Protocol.Roster;
using Federation.Silo.Peering;
using Federation.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Deployment.Tests;

/// <summary>
/// Item 5 of issue 19: a nation of two silos (one Orleans cluster on one PostgreSQL database, one
/// certificate) behind one federation address, a TCP balancer written here. A peer (DE) pins FR's
/// certificate and calls FR's federation API through the balancer: both silos answer; one silo is
/// killed; every call still gets through.
/// </summary>
public sealed class SeveralSilosBehindOneAddressTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OneSiloKilled_FederationCallsThroughTheBalancerKeepArriving()
    {
        var directory = Directory.CreateTempSubdirectory("federation-balanced-");
        await using var database = await PostgresTestDatabase.CreateAsync("balanced");
        using var fr = NationCertificates.Create("FR");
        using var de = NationCertificates.Create("DE");
        var frPin = SpkiPin.Compute(fr);
        var pfx = Path.Combine(directory.FullName, "fr.pfx");
        await File.WriteAllBytesAsync(pfx, fr.Export(X509ContentType.Pkcs12), Ct);
        var roster = Path.Combine(directory.FullName, "roster.json");
        await File.WriteAllTextAsync(roster, new RosterDocument(
        [
            new RosterEntry("FR", "France", "https://127.0.0.1:1", ProtocolVersions.Supported, [frPin]),
            new RosterEntry("DE", "Germany", "https://127.0.0.1:2", ProtocolVersions.Supported, [SpkiPin.Compute(de)]),
        ]).ToJson(), Ct);

        var silos = new List<HostedSilo>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                silos.Add(await HostedSilo.StartAsync(new Dictionary<string, string?>
                {
                    ["Federation:Nation:Code"] = "FR",
                    ["Federation:Urls"] = "http://127.0.0.1:0",
                    ["Federation:Postgres:ConnectionString"] = database.ConnectionString,
                    ["Federation:Postgres:MigrateOnStart"] = "true",
                    ["Federation:Auth:AdminTokens:0"] = "balanced-test-admin-token",
                    ["Federation:Peering:Port"] = "0",
                    ["Federation:Peering:CertificatePath"] = pfx,
                    ["Federation:Peering:RosterPath"] = roster,
                }));
            }

            var backends = silos.Select(s => new IPEndPoint(IPAddress.Loopback, s.Services.GetRequiredService<PeeringEndpoint>().Port!.Value)).ToList();
            await using var balancer = new TcpBalancer(backends);
            using var client = PeerClient(de, frPin, balancer.Address);

            for (var i = 0; i < 6; i++)
            {
                Assert.Equal("FR", await HelloAsync(client, $"call {i} with both silos up"));
            }

            Assert.True(balancer.ConnectionsTo(0) > 0 && balancer.ConnectionsTo(1) > 0,
                $"the balancer spread the calls over both silos ({balancer.ConnectionsTo(0)} and {balancer.ConnectionsTo(1)} connections)");

            await silos[0].KillAsync();
            var before = balancer.ConnectionsTo(1);
            for (var i = 0; i < 6; i++)
            {
                Assert.Equal("FR", await HelloAsync(client, $"call {i} after silo 0 was killed"));
            }

            Assert.Equal(before + 6, balancer.ConnectionsTo(1));
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }

            directory.Delete(recursive: true);
        }
    }

    // DE's silo as a client: its certificate, FR's pin checked instead of a host name, one connection per call.
    private static HttpClient PeerClient(X509Certificate2 certificate, string serverPin, IPEndPoint address)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.Zero,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                    presented is not null && SpkiPin.Compute(X509CertificateLoader.LoadCertificate(presented.GetRawCertData())) == serverPin,
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://{address}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    private static async Task<string?> HelloAsync(HttpClient client, string phase)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, FederationRoutes.Hello);
        request.Headers.ConnectionClose = true;
        request.Headers.Add(Federation.Protocol.Wire.FederationRequests.RequestIdHeader, Guid.NewGuid().ToString());
        using var response = await client.SendAsync(request, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{phase}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        var hello = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("DE", hello.GetProperty("peer").GetString());
        return hello.GetProperty("code").GetString();
    }
}
