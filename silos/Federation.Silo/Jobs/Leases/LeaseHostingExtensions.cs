using Federation.Grains.Jobs.Leases;
using Federation.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Jobs.Leases;

/// <summary>The lease index's timing and its sweeper (the index itself comes with the persistence feature).</summary>
public static class LeaseHostingExtensions
{
    /// <summary>
    /// Registers <see cref="LeaseOptions"/> (validated on start), the <see cref="LeaseSettings"/> the
    /// grains read, and the <see cref="LeaseSweeperStarter"/>. Idempotent: a second call registers nothing.
    /// </summary>
    public static IServiceCollection AddFederationLeases(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(LeaseSettings)))
        {
            return services;
        }

        services.AddValidatedOptions<LeaseOptions, LeaseOptionsValidator>(LeaseOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LeaseOptions>>().Value.ToSettings());
        services.AddHostedService<LeaseSweeperStarter>();
        return services;
    }
}
