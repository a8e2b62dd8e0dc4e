using Federation.Execution.Processes;
using Federation.Execution.Simulated;
using Federation.Execution.Slurm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Federation.Execution.Hosting;

/// <summary>Registers the executors and the registry that chooses among them by kind.</summary>
public static class ExecutorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Slurm pools' clients, one executor per <see cref="ExecutorKind"/> (simulated,
    /// process, Slurm) as <see cref="IRunExecutor"/>, and <see cref="ExecutorRegistry"/>. The
    /// <see cref="ExecutorSettings"/>, the reference tables and a <see cref="TimeProvider"/> come from
    /// the host. Idempotent.
    /// </summary>
    public static IServiceCollection AddFederationExecutors(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(ExecutorRegistry)))
        {
            return services;
        }

        services.TryAddSingleton<SlurmPools>();
        services.TryAddSingleton<SimulatedExecutor>();
        services.TryAddSingleton<ProcessExecutor>();
        services.TryAddSingleton<SlurmExecutor>();
        services.AddSingleton<IRunExecutor>(sp => sp.GetRequiredService<SimulatedExecutor>());
        services.AddSingleton<IRunExecutor>(sp => sp.GetRequiredService<ProcessExecutor>());
        services.AddSingleton<IRunExecutor>(sp => sp.GetRequiredService<SlurmExecutor>());
        services.AddSingleton<ExecutorRegistry>();
        return services;
    }
}
