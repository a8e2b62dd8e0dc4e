using Federation.Grains.Learning;
using Federation.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Federation.Silo.Learning;

/// <summary>
/// Registers and maps federated runs: the round messages' federation route, its inbox and courier, the
/// invitation desk, the key directory, the federated executor and its model registrar, the local step
/// (<see cref="WorkloadLocalStepRunner"/>) and the initial model (<see cref="WorkloadInitialModelSource"/>),
/// both running the allow-listed training workload.
/// </summary>
public static class LearningHostingExtensions
{
    /// <summary>
    /// Adds the services of federated runs (idempotent; a registered <see cref="ILocalStepRunner"/> or
    /// <see cref="IInitialModelSource"/> is kept) and <see cref="LocalStepOptions"/> (<c>Federation:Learning</c>,
    /// validated on start). Needs the execution feature (allow-list, executor settings) and the dataset stager.
    /// </summary>
    public static IServiceCollection AddFederationLearning(this IServiceCollection services)
    {
        services.TryAddSingleton<RoundInbox>();
        services.TryAddSingleton<RunInvitationDesk>();
        if (!services.Any(s => s.ServiceType == typeof(FederatedExecutor)))
        {
            services.AddSingleton<FederatedExecutor>();
            services.AddSingleton<Federation.Execution.IRunExecutor>(sp => sp.GetRequiredService<FederatedExecutor>());
            services.AddOptions<FederatedRunOptions>().BindConfiguration(FederatedRunOptions.Section)
                .Validate(o => o.Invalid() is null, "FederatedRunOptions.StageTimeout must be 1 second to 1 hour").ValidateOnStart();
        }

        services.TryAddSingleton<RoundTransferLog>();
        services.TryAddSingleton<FederatedModelRegistrar>();
        services.TryAddSingleton<RunKeyDirectory>();
        services.TryAddSingleton<IRunKeyDirectory>(sp => sp.GetRequiredService<RunKeyDirectory>());
        services.TryAddSingleton<IRoundCourier, RoundCourier>();
        services.AddValidatedOptions<LocalStepOptions, LocalStepOptionsValidator>(LocalStepOptions.Section);
        services.TryAddSingleton<TrainingWorkload>();
        services.TryAddSingleton<IInitialModelSource, WorkloadInitialModelSource>();
        services.TryAddSingleton<ILocalStepRunner, WorkloadLocalStepRunner>();
        return services;
    }

    /// <summary>Maps the round messages on <paramref name="federation"/> (the <c>/federation/v1</c> group).</summary>
    public static RouteGroupBuilder MapFederationLearning(this RouteGroupBuilder federation)
    {
        federation.MapRoundFederationEndpoints();
        return federation;
    }
}
