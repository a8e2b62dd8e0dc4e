namespace Federation.Silo.Demo;

/// <summary>The demo feature of a nation's silo: the demo catalogue and the simulated node agent.</summary>
public static class DemoHostingExtensions
{
    /// <summary>
    /// Registers <paramref name="settings"/>, the demo catalogue and, when the demo nodes are simulated,
    /// their agent. Call after the nation's start-up service (the agent heartbeats the nodes it registers).
    /// Idempotent: a second call registers nothing.
    /// </summary>
    public static IServiceCollection AddFederationDemo(this IServiceCollection services, DemoSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        if (services.Any(s => s.ServiceType == typeof(DemoSettings)))
        {
            return services;
        }

        services.AddSingleton(settings);
        services.AddSingleton<DemoCatalogue>();
        if (settings.SimulateNodes)
        {
            services.AddHostedService<SimulatedNodeAgent>();
        }

        return services;
    }
}
