using System.Net.Http.Headers;
using Federation.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Testing;

/// <summary>A real silo (Kestrel on a free port, Orleans on free ports) in this process.</summary>
public sealed class SiloUnderTest : IAsyncDisposable
{
    /// <summary>Operator token used in configured mode.</summary>
    public const string AdminToken = "test-admin-token-0123456789";

    /// <summary>Node agent token for node <c>agent-node</c>.</summary>
    public const string NodeToken = "test-node-token-0123456789";

    private readonly WebApplication _app;
    private bool _stopped;

    private SiloUnderTest(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Client = CreateClient(AdminToken);
    }

    /// <summary>The user API's base address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client carrying the operator token.</summary>
    public HttpClient Client { get; }

    /// <summary>The silo's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts an embedded (in-memory) silo, with <paramref name="extra"/> configuration if given.</summary>
    public static Task<SiloUnderTest> StartEmbeddedAsync(bool seed = false, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>()) { ["Federation:SeedDemoCatalogue"] = seed ? "true" : "false" };
        return StartAsync(settings);
    }

    /// <summary>Starts a silo on <paramref name="connectionString"/> (migrating the schema).</summary>
    public static Task<SiloUnderTest> StartConfiguredAsync(string connectionString, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Federation:Postgres:ConnectionString"] = connectionString,
            ["Federation:Postgres:MigrateOnStart"] = "true",
            ["Federation:Auth:AdminTokens:0"] = AdminToken,
            ["Federation:Auth:NodeTokens:agent-node"] = NodeToken,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return StartAsync(settings);
    }

    private static async Task<SiloUnderTest> StartAsync(Dictionary<string, string?> settings)
    {
        settings["Federation:Urls"] = "http://127.0.0.1:0";
        settings["Federation:SiloPort"] = "0";
        settings["Federation:GatewayPort"] = "0";
        settings["Logging:LogLevel:Default"] = "Warning";
        var app = SiloHost.Build([], c => c.AddInMemoryCollection(settings));
        await app.StartAsync(CancellationToken.None);
        var url = app.Services.GetRequiredService<SiloEndpoints>().ApiBaseUrl
            ?? throw new InvalidOperationException("The silo started without announcing its API address.");
        return new SiloUnderTest(app, new Uri(url));
    }

    /// <summary>A client with <paramref name="token"/> (or none).</summary>
    public HttpClient CreateClient(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Stops the silo as a crash would leave it: no further writes from it.</summary>
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
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await StopAsync();
    }
}
