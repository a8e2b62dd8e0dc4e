using Federation.Silo.Hosting;

namespace Federation.Silo.Overview;

/// <summary>Registers the federation overview (<c>GET /overview</c>).</summary>
public static class OverviewHostingExtensions
{
    /// <summary>Adds the overview's options, fact source and shared feed. Idempotent: a second call registers nothing.</summary>
    public static IServiceCollection AddFederationOverview(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(OverviewFeed)))
        {
            return services;
        }

        services.AddValidatedOptions<OverviewOptions, OverviewOptionsValidator>(OverviewOptions.Section);
        services.AddSingleton<OverviewSource>();
        services.AddSingleton<OverviewFeed>();
        return services;
    }
}
