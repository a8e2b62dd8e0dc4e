using Federation.Execution.Staging;
using Federation.Silo.Jobs.Outputs;

namespace Federation.Silo.Jobs.Staging;

/// <summary>Wires data staging and job logs and outputs into a nation's silo.</summary>
public static class JobDataServices
{
    /// <summary>The stager (<see cref="IDatasetStager"/>), the terms reader, the file digests, and the logs and outputs services.</summary>
    public static IServiceCollection AddJobData(this IServiceCollection services)
    {
        services.AddSingleton<FileDigestCache>();
        services.AddSingleton<DatasetTermsReader>();
        services.AddSingleton<IDatasetStager, DatasetStager>();
        services.AddSingleton<ExecutionFiles>();
        services.AddSingleton<OutputRelay>();
        return services;
    }

    /// <summary>
    /// The dataset content endpoint and the logs and outputs endpoints of the federation API (on
    /// <paramref name="federation"/>), and the logs and outputs endpoints of the user API.
    /// </summary>
    public static void MapJobData(this WebApplication app, RouteGroupBuilder federation)
    {
        federation.MapDatasetContentEndpoints();
        app.MapJobFileEndpoints(federation);
    }
}
