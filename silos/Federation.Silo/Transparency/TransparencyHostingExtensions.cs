using Federation.Silo.Hosting;
using Federation.Silo.Postgres;
using Federation.Transparency;
using Federation.Transparency.Peers;

namespace Federation.Silo.Transparency;

/// <summary>The transparency-log feature of a nation's silo: the log (in memory embedded, PostgreSQL configured), the recorder, the head signer and publisher, and the watcher of peers' heads.</summary>
public static class TransparencyHostingExtensions
{
    /// <summary>Registers the feature. Idempotent: a second call registers nothing.</summary>
    public static IServiceCollection AddFederationTransparency(this IServiceCollection services, SiloEndpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(endpoints);
        if (services.Any(s => s.ServiceType == typeof(ITransparencyLog)))
        {
            return services;
        }

        services.AddValidatedOptions<TransparencyOptions, TransparencyOptionsValidator>(TransparencyOptions.Section);
        if (endpoints.Mode == SiloMode.Embedded)
        {
            services.AddSingleton<ITransparencyLog, InMemoryTransparencyLog>();
            services.AddSingleton<IPeerHeadStore, InMemoryPeerHeadStore>();
        }
        else
        {
            services.AddSingleton<ITransparencyLog, PostgresTransparencyLog>();
            services.AddSingleton<IPeerHeadStore, PostgresPeerHeadStore>();
        }

        services.AddSingleton<TransparencyProver>();
        services.AddSingleton<TransparencyRecorder>();
        services.AddSingleton<RequestOutRecorder>();
        services.AddSingleton<RequestInRecorder>();
        services.AddSingleton<TransferRecorder>();
        services.AddSingleton<Federation.Grains.Jobs.IDecisionRecorder>(sp => sp.GetRequiredService<TransparencyRecorder>());
        services.AddSingleton<TreeHeadSigner>();
        services.AddSingleton<TreeHeadPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<TreeHeadPublisher>());
        services.AddSingleton<IPeerLogSource, PeerLogClient>();
        services.AddSingleton<PeerHeadMonitor>();
        services.AddSingleton<PeerHeadWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<PeerHeadWatcher>());
        return services;
    }
}
