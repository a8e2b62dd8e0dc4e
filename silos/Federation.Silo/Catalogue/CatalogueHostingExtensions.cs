using Federation.Silo.Api.Requests;

namespace Federation.Silo.Catalogue;

/// <summary>The catalogue feature of a nation's silo: datasets, nodes and models of the user API.</summary>
public static class CatalogueHostingExtensions
{
    /// <summary>
    /// Registers what the catalogue endpoints need (the strict request parser). The catalogue's index
    /// comes with the persistence (<c>AddFederationPersistence</c>). Idempotent: a second call registers nothing.
    /// </summary>
    public static IServiceCollection AddFederationCatalogue(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(CatalogueRequestParser)))
        {
            return services;
        }

        services.AddSingleton<CatalogueRequestParser>();
        return services;
    }

    /// <summary>Maps <c>/api/v1/datasets</c>, <c>/api/v1/nodes</c> and <c>/api/v1/models</c>.</summary>
    public static IEndpointRouteBuilder MapFederationCatalogue(this IEndpointRouteBuilder app)
    {
        app.MapDatasetEndpoints();
        app.MapNodeEndpoints();
        app.MapModelEndpoints();
        return app;
    }
}
