using Federation.Grains.Nations;
using Federation.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Federation.Silo.Artifacts;

/// <summary>The model artifacts feature of a nation's silo: the store, its metadata, uploads, pulls and their endpoints.</summary>
public static class ArtifactHostingExtensions
{
    /// <summary>
    /// Registers <see cref="ArtifactOptions"/> (validated on start), the content store on its root,
    /// the metadata (PostgreSQL when the nation has a database, in memory otherwise), uploads and
    /// pulls, and the store's periodic sweep. Idempotent: a second call registers nothing.
    /// </summary>
    public static IServiceCollection AddFederationArtifacts(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(ContentStore)))
        {
            return services;
        }

        services.AddValidatedOptions<ArtifactOptions, ArtifactOptionsValidator>(ArtifactOptions.Section);
        services.AddSingleton(sp => new ContentStore(
            sp.GetRequiredService<IOptions<ArtifactOptions>>().Value.RootFor(sp.GetRequiredService<LocalNation>().Code.Value)));
        services.TryAddSingleton<IArtifactMetadataStore>(sp => sp.GetService<NpgsqlDataSource>() is { } database
            ? new PostgresArtifactMetadataStore(database)
            : new InMemoryArtifactMetadataStore());
        services.AddSingleton<ArtifactTransfers>();
        services.AddSingleton<ArtifactUploads>();
        services.AddSingleton<ArtifactPuller>();
        services.AddSingleton<ArtifactSweeper>();
        services.TryAddSingleton<IModelEvaluationRunner, WorkloadEvaluationRunner>();
        services.AddSingleton<EvaluationVerifier>();
        services.AddSingleton<EvaluationLedger>();
        services.AddSingleton<ModelEvaluations>();
        services.AddHostedService(sp => sp.GetRequiredService<ArtifactSweeper>());
        return services;
    }

    /// <summary>Maps the user API's artifact endpoints and, on <paramref name="federation"/>, the federation API's.</summary>
    public static WebApplication MapFederationArtifacts(this WebApplication app, RouteGroupBuilder federation)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(federation);
        app.MapArtifactEndpoints();
        app.MapJobTransferEndpoints();
        app.MapEvaluationEndpoints();
        federation.MapArtifactFederationEndpoints();
        federation.MapEvaluationFederationEndpoints();
        return app;
    }
}
