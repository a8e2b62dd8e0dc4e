using Federation.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Deployment.Tests;

/// <summary>An embedded silo in this process, started from the given settings alone (ports free), with test endpoints mapped before start.</summary>
public sealed class HostedSilo : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private HostedSilo(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The user API's base address, as the silo announced it.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The silo's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The path of the endpoint that echoes what the pipeline made of the request.</summary>
    public const string EchoPath = "/test/request-seen";

    /// <summary>Builds and starts a silo with <paramref name="settings"/> over quiet, free-port defaults.</summary>
    public static async Task<HostedSilo> StartAsync(IDictionary<string, string?> settings)
    {
        var app = SiloHost.Build([], c => c.AddInMemoryCollection(Settings(settings)));
        app.MapGet(EchoPath, (Microsoft.AspNetCore.Http.HttpContext http) =>
            $"{http.Connection.RemoteIpAddress}|{http.Request.Scheme}|{http.Request.Host}");
        await app.StartAsync(CancellationToken.None);
        var url = app.Services.GetRequiredService<SiloEndpoints>().ApiBaseUrl
            ?? throw new InvalidOperationException("The silo started without announcing its API address.");
        return new HostedSilo(app, new Uri(url.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>The defaults every test silo starts from, overridden by <paramref name="settings"/>.</summary>
    public static Dictionary<string, string?> Settings(IDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Federation:SiloPort"] = "0",
            ["Federation:GatewayPort"] = "0",
            ["Federation:SeedDemoCatalogue"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return all;
    }

    /// <summary>Stops the silo without a graceful shutdown, as a crash would: listeners closed, nothing drained.</summary>
    public async Task KillAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync(new CancellationToken(canceled: true));
            await _app.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }
}
