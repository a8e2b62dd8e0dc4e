using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Federation.Silo.Hosting;
using Federation.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Federation.Fedctl.Tests;

/// <summary>
/// A configured silo in this process on ports the test chooses, so that a restarted silo answers
/// at the same URL (<see cref="SiloUnderTest"/> always picks new ones). Tokens as SiloUnderTest's.
/// </summary>
internal sealed class NodeAgentSilo : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private NodeAgentSilo(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The user API's base address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts a silo on <paramref name="connectionString"/> with the API on <paramref name="apiPort"/>.</summary>
    public static async Task<NodeAgentSilo> StartAsync(string connectionString, int apiPort, int siloPort, int gatewayPort)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Federation:Postgres:ConnectionString"] = connectionString,
            ["Federation:Postgres:MigrateOnStart"] = "true",
            ["Federation:Auth:AdminTokens:0"] = SiloUnderTest.AdminToken,
            ["Federation:Auth:NodeTokens:agent-node"] = SiloUnderTest.NodeToken,
            ["Federation:Urls"] = $"http://127.0.0.1:{apiPort}",
            ["Federation:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Federation:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var app = SiloHost.Build([], c => c.AddInMemoryCollection(settings));
        await app.StartAsync(CancellationToken.None);
        return new NodeAgentSilo(app, new Uri($"http://127.0.0.1:{apiPort}"));
    }

    /// <summary>
    /// <paramref name="count"/> distinct ports that were free a moment ago, all held at once so that
    /// no two listeners (API, Orleans silo, gateway, of either run) get the same one.
    /// </summary>
    public static List<int> FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
        }
        finally
        {
            listeners.ForEach(l => l.Dispose());
        }
    }

    /// <summary>A client with <paramref name="token"/>.</summary>
    public HttpClient CreateClient(string token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Stops the silo; its port closes.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(StopAsync());
}
