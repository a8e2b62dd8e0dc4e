using Federation.Silo.Hosting;
using Federation.Silo.Postgres;
using Federation.Transparency;
using Federation.Transparency.Peers;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Transparency;

/// <summary>The transparency-log feature of a nation's silo: the log (in memory embedded, PostgreSQL configured), the recorder, the head signer and publisher, and the watcher of peers' heads.</summary>
public static partial class TransparencyHostingExtensions
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
            services.AddSingleton<InMemoryTransparencyLog>();
            services.AddSingleton<ITransparencyLog>(sp => UnlessRecordingIsOff(sp, sp.GetRequiredService<InMemoryTransparencyLog>()));
            services.AddSingleton<IPeerHeadStore, InMemoryPeerHeadStore>();
        }
        else
        {
            services.AddSingleton<PostgresTransparencyLog>();
            services.AddSingleton<ITransparencyLog>(sp => UnlessRecordingIsOff(sp, sp.GetRequiredService<PostgresTransparencyLog>()));
            services.AddSingleton<IPeerHeadStore, PostgresPeerHeadStore>();
        }

        services.AddSingleton<TransparencyProver>();
        services.AddSingleton<TransparencyRecorder>();
        services.AddSingleton<RequestOutRecorder>();
        services.AddSingleton(sp => new RequestInRecorder(
            sp.GetRequiredService<TransparencyRecorder>(),
            sp.GetRequiredService<IOptions<TransparencyOptions>>().Value.RefusalsPerPeerPerMinute,
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
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

    // Federation:Transparency:Record=false, for measuring the log's cost only: appends are dropped.
    private static ITransparencyLog UnlessRecordingIsOff(IServiceProvider services, ITransparencyLog log)
    {
        if (services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TransparencyOptions>>().Value.Record)
        {
            return log;
        }

        LogRecordingOff(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TransparencyHostingExtensions).FullName!), TransparencyOptions.Section);
        return new DiscardingTransparencyLog(log);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Section}:Record is false: no decision of this nation is appended to its transparency log (use it only to measure the log's cost)")]
    private static partial void LogRecordingOff(ILogger logger, string section);
}
