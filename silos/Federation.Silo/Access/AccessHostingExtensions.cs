using Federation.Grains.Access;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Federation.Silo.Access;

/// <summary>The data-access grants feature of a nation's silo: the grant store, the committee's key, the home's check.</summary>
public static class AccessHostingExtensions
{
    /// <summary>Registers it: grants in PostgreSQL when the nation has a database, in memory otherwise. Idempotent.</summary>
    public static IServiceCollection AddFederationAccess(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(DataAccessCommittee)))
        {
            return services;
        }

        services.TryAddSingleton<IDataAccessGrantStore>(sp => sp.GetService<NpgsqlDataSource>() is { } database
            ? new PostgresDataAccessGrantStore(database)
            : new InMemoryDataAccessGrantStore());
        services.AddSingleton<DataAccessCommittee>();
        services.TryAddSingleton<IDataAccessGate, DataAccessGate>();
        return services;
    }
}
