using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;

namespace Federation.Postgres.Tests.OrleansSql;

/// <summary>
/// A real Orleans silo host on the ADO.NET providers (clustering, grain storage named
/// <see cref="StorageName"/>, reminders) over one migrated PostgreSQL database, on free ports.
/// </summary>
public sealed class OrleansSqlHost : IAsyncDisposable
{
    public const string StorageName = "store";
    private const string Invariant = "Npgsql";

    private readonly IHost _host;
    private readonly NpgsqlDataSource _dataSource;
    private bool _stopped;

    private OrleansSqlHost(IHost host, NpgsqlDataSource dataSource)
    {
        _host = host;
        _dataSource = dataSource;
    }

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Starts a silo of cluster <paramref name="clusterId"/> and service <paramref name="serviceId"/>.</summary>
    public static async Task<OrleansSqlHost> StartAsync(string connectionString, string clusterId, string serviceId, CancellationToken ct)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .UseOrleans(silo => silo
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = serviceId;
                })
                .ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort)
                .UseAdoNetClustering(o =>
                {
                    o.Invariant = Invariant;
                    o.DataSource = dataSource;
                })
                .AddAdoNetGrainStorage(StorageName, o =>
                {
                    o.Invariant = Invariant;
                    o.DataSource = dataSource;
                })
                .UseAdoNetReminderService(o =>
                {
                    o.Invariant = Invariant;
                    o.DataSource = dataSource;
                }))
            .Build();
        try
        {
            await host.StartAsync(ct);
        }
        catch
        {
            host.Dispose();
            await dataSource.DisposeAsync();
            throw;
        }

        return new OrleansSqlHost(host, dataSource);
    }

    /// <summary>Stops the silo gracefully (it leaves the membership table as Dead).</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync(ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(CancellationToken.None);
        }
        finally
        {
            _host.Dispose();
            await _dataSource.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
