using Federation.Grains.Jobs;
using Federation.Silo.Hosting;
using Federation.Silo.Postgres;
using Npgsql;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Shares;

/// <summary>The shares feature of a nation's silo: fair share between nations, consortium quotas, the student tier, the usage ledger.</summary>
public static class SharesHostingExtensions
{
    /// <summary>
    /// Registers <see cref="ShareOptions"/> (validated on start), the course registry and the usage
    /// ledger (in memory in embedded mode, else PostgreSQL), which admission reads share facts from (none
    /// when <see cref="ShareOptions.Enabled"/> is false), and the usage reports exchanged with peers.
    /// Idempotent: a second call registers nothing.
    /// </summary>
    public static IServiceCollection AddFederationShares(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(ShareLedgerService)))
        {
            return services;
        }

        services.AddValidatedOptions<ShareOptions, ShareOptionsValidator>(ShareOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ShareOptions>>().Value.ToSettings());
        services.AddSingleton(sp => new CourseRegistry(sp.GetRequiredService<IOptions<ShareOptions>>(), sp.GetService<IGrainFactory>()));
        services.AddHostedService<CourseRefresher>();
        services.AddSingleton<IUsageLedgerStore>(sp => sp.GetRequiredService<SiloEndpoints>().Mode == SiloMode.Embedded
            ? new InMemoryUsageLedgerStore()
            : new PostgresUsageLedgerStore(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetService<CommitPipeline>()));
        services.AddSingleton<ShareLedgerService>();
        services.AddSingleton<UsageReportReceiver>();
        services.AddSingleton<UsageReporter>();
        services.AddHostedService(sp => sp.GetRequiredService<UsageReporter>());
        services.AddHostedService<UsageLedgerPruner>();
        services.AddSingleton<ShareReclaimer>();
        services.AddSingleton<IShareFactSource>(sp => sp.GetRequiredService<ShareReclaimer>());
        return services;
    }
}
