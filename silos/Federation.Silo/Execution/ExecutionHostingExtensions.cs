using Federation.Contracts.Ids;
using Federation.Execution.Hosting;
using Federation.Execution.Workloads;
using Federation.Grains.Execution;
using Federation.Reference;
using Federation.Silo.Hosting;
using Federation.Silo.Jobs;

namespace Federation.Silo.Execution;

/// <summary>The execution feature of a nation's silo: executors, pools, the workload allow-list, run reconciliation.</summary>
public static class ExecutionHostingExtensions
{
    /// <summary>
    /// Registers <see cref="ExecutorOptions"/> (validated on start), the executor settings and the
    /// allow-list read from <c>Federation:Executor</c>, <c>Federation:Pools</c> and
    /// <c>Federation:Workloads</c> (checked now: a mistake throws naming its key), the executors and
    /// the run reconciler. Idempotent: a second call registers nothing.
    /// </summary>
    public static IServiceCollection AddFederationExecution(this IServiceCollection services, IConfiguration configuration, ReferenceTables reference, NationCode nation)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(WorkloadCatalogue)))
        {
            return services;
        }

        services.AddValidatedOptions<ExecutorOptions, ExecutorOptionsValidator>(ExecutorOptions.Section);
        var (executor, workloads) = ExecutionConfiguration.Read(configuration, reference, nation);
        services.AddSingleton(executor);
        services.AddSingleton(workloads);
        services.AddFederationExecutors();
        services.AddSingleton<NationCapacity>();
        services.AddHostedService<RunReconciler>();
        return services;
    }
}
