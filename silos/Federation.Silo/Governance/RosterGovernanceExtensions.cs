using Federation.Grains.Nations;
using Federation.Silo.Peering;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Federation.Silo.Governance;

/// <summary>Wires the governed roster into a nation's silo.</summary>
public static class RosterGovernanceExtensions
{
    /// <summary>
    /// Registers the roster governance: the version store (PostgreSQL when the nation has a database, a
    /// file beside the roster file otherwise, memory without either), <see cref="RosterGovernance"/>
    /// (restores the chain on start) and, when <paramref name="peering"/> is on, <see cref="RosterSync"/>.
    /// Idempotent.
    /// </summary>
    public static IServiceCollection AddFederationRosterGovernance(this IServiceCollection services, bool peering)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(RosterGovernance)))
        {
            return services;
        }

        services.TryAddSingleton<IRosterVersionStore>(sp =>
            sp.GetService<NpgsqlDataSource>() is { } database ? new PostgresRosterVersionStore(database)
            : sp.GetRequiredService<RosterStore>().FilePath is { } roster ? new FileRosterVersionStore(FileRosterVersionStore.Beside(roster, sp.GetRequiredService<LocalNation>().Code.Value))
            : new MemoryRosterVersionStore());
        services.AddSingleton<RosterGovernance>();
        services.AddHostedService(sp => sp.GetRequiredService<RosterGovernance>());
        if (peering)
        {
            services.AddHostedService<RosterSync>();
        }

        return services;
    }
}
