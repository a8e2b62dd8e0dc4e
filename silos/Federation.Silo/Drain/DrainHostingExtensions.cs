using Federation.Grains.Nations;

namespace Federation.Silo.Drain;

/// <summary>Registers the nation drain: the switch admission and the advert read, and the drainer the API calls.</summary>
public static class DrainHostingExtensions
{
    /// <summary>Adds the nation drain's services; idempotent.</summary>
    public static IServiceCollection AddFederationDrain(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(DrainSwitch)))
        {
            return services;
        }

        services.AddSingleton<DrainSwitch>();
        services.AddSingleton<NationDrainer>();
        return services;
    }
}
