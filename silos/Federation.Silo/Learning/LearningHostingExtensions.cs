using Federation.Grains.Learning;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Federation.Silo.Learning;

/// <summary>Registers and maps federated runs: the round messages' federation route, its inbox and courier, the invitation desk, the key directory, the local step and the federated executor.</summary>
public static class LearningHostingExtensions
{
    /// <summary>Adds the services of federated runs (idempotent; a registered <see cref="ILocalStepRunner"/> is kept).</summary>
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
        services.TryAddSingleton<RunKeyDirectory>();
        services.TryAddSingleton<IRunKeyDirectory>(sp => sp.GetRequiredService<RunKeyDirectory>());
        services.TryAddSingleton<IRoundCourier, RoundCourier>();
        services.TryAddSingleton<ILocalStepRunner, PendingLocalStepRunner>();
        return services;
    }

    /// <summary>Maps the round messages on <paramref name="federation"/> (the <c>/federation/v1</c> group).</summary>
    public static RouteGroupBuilder MapFederationLearning(this RouteGroupBuilder federation)
    {
        federation.MapRoundFederationEndpoints();
        return federation;
    }
}
