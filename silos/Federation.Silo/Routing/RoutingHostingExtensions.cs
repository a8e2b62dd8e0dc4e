using System.Globalization;
using Federation.Protocol.Roster;
using Federation.Reference;
using Federation.Routing;
using Federation.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Routing;

/// <summary>The routing feature of a nation's silo: the router, the route planner, <c>/api/v1/route</c>.</summary>
public static class RoutingHostingExtensions
{
    /// <summary>Registers <see cref="RoutingOptions"/> (validated on start), the router and the route planner. Idempotent.</summary>
    public static IServiceCollection AddFederationRouting(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(RoutePlanner)))
        {
            return services;
        }

        services.AddValidatedOptions<RoutingOptions, RoutingOptionsValidator>(RoutingOptions.Section);
        services.AddSingleton(sp => new Router(
            sp.GetRequiredService<ReferenceTables>(),
            sp.GetRequiredService<IOptions<RoutingOptions>>().Value.ToWeights(),
            [.. (sp.GetService<Federation.Silo.Peering.SpokenProtocol>()?.Versions ?? ProtocolVersions.Supported).Select(v => int.Parse(v, CultureInfo.InvariantCulture))]));
        services.AddSingleton<RoutePlanner>();
        return services;
    }
}
