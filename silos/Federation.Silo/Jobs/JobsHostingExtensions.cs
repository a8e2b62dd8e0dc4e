using Federation.Execution;
using Federation.Grains.Jobs;
using Federation.Grains.Nations;
using Federation.Silo.Api.Requests;
using Federation.Silo.Hosting;
using Federation.Silo.Jobs.Dispatch;
using Federation.Silo.Jobs.Staging;
using Federation.Silo.Options;
using Federation.Silo.Peering;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Jobs;

/// <summary>The jobs feature of a nation's silo: submission, planning, admission, the courier, staging and files.</summary>
public static class JobsHostingExtensions
{
    /// <summary>
    /// Registers <see cref="JobOptions"/>, <see cref="AdmissionOptions"/>, <see cref="DataOptions"/> and <see cref="MessageBatchOptions"/>
    /// (each validated on start) and the services of a job's path on this side of the grains.
    /// Needs the execution feature (its work root is never dataset content). Idempotent: a second call registers nothing.
    /// </summary>
    public static IServiceCollection AddFederationJobs(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(IJobPlanner)))
        {
            return services;
        }

        services.AddValidatedOptions<JobOptions, JobOptionsValidator>(JobOptions.Section);
        services.AddValidatedOptions<AdmissionOptions, AdmissionOptionsValidator>(AdmissionOptions.Section);
        services.AddValidatedOptions<DataOptions, DataOptionsValidator>(DataOptions.Section);
        services.AddValidatedOptions<MessageBatchOptions, MessageBatchOptionsValidator>(MessageBatchOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<JobOptions>>().Value.ToSettings());
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AdmissionOptions>>().Value.ToSettings());
        services.AddSingleton<JobRequestParser>();
        services.AddSingleton<AdmissionFactSource>();
        services.AddSingleton<PreOfferFences>();
        services.AddSingleton<FederationDispatch>();
        services.AddSingleton<IFederationCourier, FederationCourier>();
        services.AddSingleton<IJobPlanner, JobPlanner>();

        // The silo's own configuration, keys and job files are never dataset content, even inside a data root.
        services.AddSingleton(sp =>
        {
            var peering = sp.GetRequiredService<IOptions<PeeringOptions>>().Value;
            return DataRoots.From(
                sp.GetRequiredService<IOptions<DataOptions>>().Value,
                sp.GetRequiredService<LocalNation>().Code.Value,
                sp.GetRequiredService<TimeProvider>(),
                AppContext.BaseDirectory,
                peering.CertificatePath,
                peering.RosterPath,
                sp.GetRequiredService<ExecutorSettings>().WorkRoot);
        });
        services.AddJobData();
        return services;
    }

    /// <summary>Maps the jobs endpoints of the user API and, on <paramref name="federation"/>, of the federation API.</summary>
    public static WebApplication MapFederationJobs(this WebApplication app, RouteGroupBuilder federation)
    {
        federation.MapJobFederationEndpoints();
        federation.MapJobFederationBatchEndpoint();
        app.MapJobData(federation);
        app.MapJobEndpoints();
        app.MapJobBatchEndpoints();
        return app;
    }
}
